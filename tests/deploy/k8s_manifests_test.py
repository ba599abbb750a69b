#!/usr/bin/env python3
"""Checks that the Kubernetes manifests in deploy/k8s/ agree with each other
and with deploy/proxy/: every document parses; Service selectors match the
pod labels of a StatefulSet or Deployment and their target ports are
container ports; probes use container ports; each shard's --serve_regions
equals its label; the proxy ConfigMap equals deploy/proxy/ filled in with
the shard Services (names and ports) and routes every shard's region to it;
mounted ConfigMaps exist; backup CronJobs mount a shard's backups claim next
to that shard's pod; the NetworkPolicy lets the proxy reach the shards; every
kawal-web Service is reached through an Ingress with TLS (a known Secret
covering its hosts) whose backend is a port of that Service, and kawal-web
behind it marks its cookies Secure.

Usage: k8s_manifests_test.py SOURCE_DIR        (exit 0 ok, 1 problems, 77 skip)
       k8s_manifests_test.py --selftest SOURCE_DIR
The self-test breaks copies of the manifests in known ways and requires the
check to name each break.
"""
import copy
import glob
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("SKIP: python3-yaml is not installed (scripts/install-deps.sh --test installs it)")
    sys.exit(77)

# Secrets are created by the operator (credentials never in git).
EXTERNAL_SECRETS = {"kawal-backup-offsite", "kawal-proxy-tls", "kawal-web-tls"}


def load(k8s_dir):
    docs = []
    for path in sorted(glob.glob(os.path.join(k8s_dir, "*.yaml"))):
        with open(path) as f:
            for doc in yaml.safe_load_all(f):
                if doc is not None:
                    docs.append((os.path.basename(path), doc))
    return docs


def pod_spec(doc):
    kind = doc["kind"]
    if kind in ("StatefulSet", "Deployment"):
        return doc["spec"]["template"]["spec"], doc["spec"]["template"]["metadata"].get("labels", {})
    if kind == "CronJob":
        t = doc["spec"]["jobTemplate"]["spec"]["template"]
        return t["spec"], t["metadata"].get("labels", {})
    return None, {}


def subset(small, big):
    return bool(small) and all(big.get(k) == v for k, v in small.items())


def container_ports(spec):
    ports = {}
    for c in spec.get("containers", []):
        for p in c.get("ports", []):
            ports[p["containerPort"]] = p.get("name")
    return ports


def port_ok(port, ports):
    return port in ports or port in ports.values()


def flag(args, name):
    for a in args:
        if a.startswith("--" + name + "="):
            return a.split("=", 1)[1]
    return None


def check(source_dir, docs=None):
    k8s_dir = os.path.join(source_dir, "deploy", "k8s")
    docs = load(k8s_dir) if docs is None else docs
    problems = []
    by_kind = {}
    for path, doc in docs:
        for key in ("apiVersion", "kind", "metadata"):
            if key not in doc:
                problems.append(f"{path}: a document has no {key}")
        name = doc.get("metadata", {}).get("name")
        if not name:
            problems.append(f"{path}: a {doc.get('kind')} has no metadata.name")
            continue
        kinds = by_kind.setdefault(doc["kind"], {})
        if name in kinds:
            problems.append(f"{path}: {doc['kind']} {name} is defined twice")
        kinds[name] = doc
    if problems:
        return problems

    services = by_kind.get("Service", {})
    statefulsets = by_kind.get("StatefulSet", {})
    deployments = by_kind.get("Deployment", {})
    configmaps = by_kind.get("ConfigMap", {})
    workloads = {**statefulsets, **deployments}

    # Workloads: selectors, probes, mounts, ConfigMaps.
    for name, doc in workloads.items():
        spec, labels = pod_spec(doc)
        where = f"{doc['kind']} {name}"
        if not subset(doc["spec"]["selector"].get("matchLabels", {}), labels):
            problems.append(f"{where}: selector.matchLabels do not match its pod labels {labels}")
        ports = container_ports(spec)
        claims = {t["metadata"]["name"] for t in doc["spec"].get("volumeClaimTemplates", [])}
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        for v in volumes.values():
            if "configMap" in v and v["configMap"]["name"] not in configmaps:
                problems.append(f"{where}: volume {v['name']} names ConfigMap "
                                f"{v['configMap']['name']}, which is not defined")
            if "secret" in v and v["secret"]["secretName"] not in EXTERNAL_SECRETS:
                problems.append(f"{where}: Secret {v['secret']['secretName']} is not a known one")
        for c in spec["containers"]:
            for probe in ("readinessProbe", "livenessProbe"):
                p = c.get(probe)
                if p is None:
                    problems.append(f"{where}: container {c['name']} has no {probe}")
                    continue
                for kind in ("grpc", "tcpSocket", "httpGet"):
                    if kind in p and not port_ok(p[kind]["port"], ports):
                        problems.append(f"{where}: {probe} uses port {p[kind]['port']}, "
                                        f"not a container port {sorted(ports)}")
                if "exec" in p:
                    server = flag(p["exec"]["command"], "server")
                    if server and int(server.rsplit(":", 1)[1]) not in ports:
                        problems.append(f"{where}: {probe} checks {server}, not a container port")
            for m in c.get("volumeMounts", []):
                if m["name"] not in claims and m["name"] not in volumes:
                    problems.append(f"{where}: mount {m['name']} is neither a volume nor a claim")

    # Shards: one replica, their region, the service that governs them.
    shard_regions = {}  # StatefulSet name -> served region
    for name, doc in statefulsets.items():
        spec, labels = pod_spec(doc)
        where = f"StatefulSet {name}"
        if doc["spec"].get("replicas") != 1:
            problems.append(f"{where}: a shard must have exactly 1 replica (one RocksDB writer)")
        if doc["spec"].get("serviceName") not in services:
            problems.append(f"{where}: serviceName {doc['spec'].get('serviceName')} is no Service")
        args = spec["containers"][0].get("args", [])
        served = flag(args, "serve_regions")
        if served != labels.get("kawal-desa/shard"):
            problems.append(f"{where}: --serve_regions={served} differs from its label "
                            f"kawal-desa/shard={labels.get('kawal-desa/shard')}")
        seed = flag(args, "seed_region")
        if seed and served and not any(seed == r or seed.startswith(r + ".")
                                       for r in served.split(",")):
            problems.append(f"{where}: --seed_region={seed} is outside --serve_regions={served}")
        listen = flag(args, "listen")
        if listen is None or int(listen.rsplit(":", 1)[1]) not in container_ports(spec):
            problems.append(f"{where}: --listen={listen} is not a container port")
        if name.replace("kawal-shard-", "") != (served or "").replace(".", "-"):
            problems.append(f"{where}: its name does not say its region {served}")
        shard_regions[name] = served

    # Services select a workload and target one of its ports.
    service_ports = {}  # Service name -> port
    service_workload = {}
    for name, doc in services.items():
        selector = doc["spec"].get("selector", {})
        matched = [w for w, d in workloads.items() if subset(selector, pod_spec(d)[1])]
        if len(matched) != 1:
            problems.append(f"Service {name}: selector {selector} matches {len(matched)} "
                            f"workloads {matched}, not exactly one")
            continue
        service_workload[name] = matched[0]
        ports = container_ports(pod_spec(workloads[matched[0]])[0])
        for p in doc["spec"]["ports"]:
            if not port_ok(p.get("targetPort", p["port"]), ports):
                problems.append(f"Service {name}: targetPort {p.get('targetPort')} is not a "
                                f"container port of {matched[0]} {sorted(ports)}")
            service_ports[name] = p["port"]

    # The proxy: the ConfigMap equals deploy/proxy/ filled in with the shard
    # Services, and routes every shard's region to its Service.
    proxy = configmaps.get("kawal-proxy-nginx")
    if proxy is None:
        problems.append("ConfigMap kawal-proxy-nginx (the nginx routing) is missing")
    else:
        with open(os.path.join(source_dir, "deploy", "proxy", "nginx.conf")) as f:
            if proxy["data"].get("nginx.conf") != f.read():
                problems.append("ConfigMap kawal-proxy-nginx: nginx.conf differs from "
                                "deploy/proxy/nginx.conf")
        with open(os.path.join(source_dir, "deploy", "proxy", "kawal-grpc.conf")) as f:
            template = f.read()
        routing = proxy["data"].get("kawal-grpc.conf", "")
        proxy_ports = {}
        if "kawal-proxy" in deployments:
            proxy_ports = container_ports(pod_spec(deployments["kawal-proxy"])[0])
        listen = re.search(r"^\s*listen\s+(\d+)", routing, re.M)
        filled = template.replace("${KAWAL_PROXY_LISTEN}", listen.group(1) if listen else "?")
        for variable in re.findall(r"\$\{(KAWAL_SHARD_[0-9_]+)\}", template):
            service = "kawal-shard-" + variable[len("KAWAL_SHARD_"):].replace("_", "-")
            if service not in services:
                problems.append(f"deploy/proxy/kawal-grpc.conf: ${{{variable}}} has no Service "
                                f"{service}")
                continue
            filled = filled.replace("${" + variable + "}", f"{service}:{service_ports.get(service)}")
        if routing != filled:
            problems.append("ConfigMap kawal-proxy-nginx: kawal-grpc.conf is not "
                            "deploy/proxy/kawal-grpc.conf with the shard Services "
                            "(name:port) and the proxy port filled in")
        if not listen or int(listen.group(1)) not in proxy_ports:
            problems.append("ConfigMap kawal-proxy-nginx: nginx listens on "
                            f"{listen.group(1) if listen else '?'}, not a kawal-proxy "
                            f"container port {sorted(proxy_ports)}")
        upstreams = dict(re.findall(r"upstream\s+(\S+)\s*\{\s*server\s+([^;\s]+);", routing))
        routes = re.findall(r"^\s*~\^(\S+)\(\\\.\|\$\)\s+(\S+);", routing, re.M)
        for sts, region in shard_regions.items():
            service = statefulsets[sts]["spec"]["serviceName"]
            target = f"{service}:{service_ports.get(service)}"
            ok = any(pattern.replace("\\.", ".") == region and upstreams.get(up) == target
                     for pattern, up in routes)
            if not ok:
                problems.append(f"ConfigMap kawal-proxy-nginx: no map line routes region "
                                f"{region} to an upstream with server {target}")
    for name, doc in deployments.items():
        spec, _ = pod_spec(doc)
        for c in spec["containers"]:
            command = c.get("command", [])
            if "-c" in command:
                conf = command[command.index("-c") + 1]
                mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
                volume = mounts.get(os.path.dirname(conf))
                cm = next((v["configMap"]["name"] for v in spec.get("volumes", [])
                           if v["name"] == volume and "configMap" in v), None)
                if cm is None or os.path.basename(conf) not in configmaps.get(cm, {}).get("data", {}):
                    problems.append(f"Deployment {name}: -c {conf} is not a key of a mounted "
                                    f"ConfigMap")

    # Backup copies run next to their shard and mount its backups claim.
    for name, doc in by_kind.get("CronJob", {}).items():
        spec, labels = pod_spec(doc)
        claims = [v["persistentVolumeClaim"]["claimName"] for v in spec.get("volumes", [])
                  if "persistentVolumeClaim" in v]
        for v in spec.get("volumes", []):
            if "secret" in v and v["secret"]["secretName"] not in EXTERNAL_SECRETS:
                problems.append(f"CronJob {name}: Secret {v['secret']['secretName']} is not a "
                                f"known one")
        for claim in claims:
            owner = next((s for s in statefulsets
                          if any(claim == f"{t['metadata']['name']}-{s}-0"
                                 for t in statefulsets[s]["spec"]["volumeClaimTemplates"])), None)
            if owner is None:
                problems.append(f"CronJob {name}: claim {claim} belongs to no StatefulSet")
                continue
            if labels.get("kawal-desa/shard") != shard_regions.get(owner):
                problems.append(f"CronJob {name}: labelled shard {labels.get('kawal-desa/shard')}"
                                f" but copies {owner}'s claim")
            terms = (spec.get("affinity", {}).get("podAffinity", {})
                     .get("requiredDuringSchedulingIgnoredDuringExecution", []))
            owner_labels = pod_spec(statefulsets[owner])[1]
            if not any(subset(t["labelSelector"]["matchLabels"], owner_labels) for t in terms):
                problems.append(f"CronJob {name}: no podAffinity to {owner}'s pod (its "
                                f"ReadWriteOnce claim is mounted on that node only)")

    # The shards' NetworkPolicy admits the proxy (and kawal-web) to their
    # port; a policy of other workloads (kawal-web's) names their ports.
    for name, doc in by_kind.get("NetworkPolicy", {}).items():
        match = doc["spec"]["podSelector"]["matchLabels"]
        selected = [s for s, d in statefulsets.items() if subset(match, pod_spec(d)[1])]
        others = {w: d for w, d in deployments.items() if subset(match, pod_spec(d)[1])}
        if not selected and others:
            targets = others
        else:
            targets = {s: statefulsets[s] for s in selected}
            if len(selected) != len(statefulsets):
                problems.append(f"NetworkPolicy {name}: selects {selected}, not every shard")
        for rule in doc["spec"].get("ingress", []):
            for peer in rule.get("from", []):
                if "podSelector" in peer and "namespaceSelector" not in peer and not any(
                        subset(peer["podSelector"]["matchLabels"], pod_spec(d)[1])
                        for d in deployments.values()):
                    problems.append(f"NetworkPolicy {name}: admits pods no Deployment has")
            for p in rule.get("ports", []):
                for t, d in targets.items():
                    if not port_ok(p["port"], container_ports(pod_spec(d)[0])):
                        problems.append(f"NetworkPolicy {name}: port {p['port']} is not "
                                        f"{t}'s container port")

    # The dashboard: every kawal-web Service behind an Ingress with TLS.
    ingresses = by_kind.get("Ingress", {})
    reached = set()
    for name, doc in ingresses.items():
        tls_hosts = set()
        for t in doc["spec"].get("tls", []):
            if t.get("secretName") not in EXTERNAL_SECRETS:
                problems.append(f"Ingress {name}: TLS Secret {t.get('secretName')} is not a "
                                f"known one")
            tls_hosts.update(t.get("hosts", []))
        if not doc["spec"].get("tls"):
            problems.append(f"Ingress {name}: no TLS (officers' passwords and cookies)")
        for rule in doc["spec"].get("rules", []):
            if rule.get("host") not in tls_hosts:
                problems.append(f"Ingress {name}: host {rule.get('host')} is not covered by "
                                f"its TLS hosts {sorted(tls_hosts)}")
            for path in rule.get("http", {}).get("paths", []):
                backend = path["backend"]["service"]
                service = services.get(backend["name"])
                if service is None:
                    problems.append(f"Ingress {name}: backend Service {backend['name']} is "
                                    f"not defined")
                    continue
                port = backend["port"].get("name", backend["port"].get("number"))
                if not any(port in (p.get("name"), p["port"]) for p in service["spec"]["ports"]):
                    problems.append(f"Ingress {name}: port {port} is not a port of Service "
                                    f"{backend['name']}")
                    continue
                reached.add(backend["name"])
                workload = workloads.get(service_workload.get(backend["name"]))
                if workload is not None:
                    args = pod_spec(workload)[0]["containers"][0].get("args", [])
                    if "--secure_cookies" not in args:
                        problems.append(f"Ingress {name}: {workload['metadata']['name']} "
                                        f"behind TLS runs without --secure_cookies")
    for name, doc in services.items():
        if doc["metadata"].get("labels", {}).get("app.kubernetes.io/name") == "kawal-web" and \
                name not in reached:
            problems.append(f"Service {name}: the dashboard has no Ingress (TLS) reaching it")
    return problems


def selftest(source_dir):
    """Each break must be reported, naming what broke."""
    base = load(os.path.join(source_dir, "deploy", "k8s"))

    def find(docs, kind, name):
        return next(d for _, d in docs if d["kind"] == kind and d["metadata"]["name"] == name)

    def break_target_port(docs):
        find(docs, "Service", "kawal-shard-62-10")["spec"]["ports"][0]["targetPort"] = 7444

    def break_selector(docs):
        find(docs, "Service", "kawal-shard-62-11")["spec"]["selector"]["kawal-desa/shard"] = "62.12"

    def break_region(docs):
        args = find(docs, "StatefulSet", "kawal-shard-62-11")["spec"]["template"]["spec"][
            "containers"][0]["args"]
        args[args.index("--serve_regions=62.11")] = "--serve_regions=62.10"

    def break_configmap(docs):
        spec = find(docs, "Deployment", "kawal-proxy")["spec"]["template"]["spec"]
        next(v for v in spec["volumes"] if "configMap" in v)["configMap"]["name"] = "kawal-nginx"

    def break_upstream(docs):
        cm = find(docs, "ConfigMap", "kawal-proxy-nginx")
        cm["data"]["kawal-grpc.conf"] = cm["data"]["kawal-grpc.conf"].replace(
            "kawal-shard-62-11:7443", "kawal-shard-62-11:7444")

    def break_probe(docs):
        c = find(docs, "StatefulSet", "kawal-shard-62-10")["spec"]["template"]["spec"][
            "containers"][0]
        c["readinessProbe"]["grpc"]["port"] = 9000

    def break_backup(docs):
        spec = find(docs, "CronJob", "kawal-backup-copy-62-10")["spec"]["jobTemplate"]["spec"][
            "template"]["spec"]
        next(v for v in spec["volumes"] if "persistentVolumeClaim" in v)[
            "persistentVolumeClaim"]["claimName"] = "backups-kawal-shard-62-11-0"

    def break_ingress_backend(docs):
        find(docs, "Ingress", "kawal-web-62-10")["spec"]["rules"][0]["http"]["paths"][0][
            "backend"]["service"]["name"] = "kawal-web"

    def break_ingress_tls(docs):
        del find(docs, "Ingress", "kawal-web-62-10")["spec"]["tls"]

    def break_secure_cookies(docs):
        args = find(docs, "Deployment", "kawal-web-62-10")["spec"]["template"]["spec"][
            "containers"][0]["args"]
        args.remove("--secure_cookies")

    breaks = {
        "targetPort 7444": break_target_port,
        "Service kawal-shard-62-11: selector": break_selector,
        "--serve_regions=62.10 differs": break_region,
        "names ConfigMap kawal-nginx": break_configmap,
        "kawal-grpc.conf is not": break_upstream,
        "readinessProbe uses port 9000": break_probe,
        "labelled shard 62.10 but copies kawal-shard-62-11": break_backup,
        "backend Service kawal-web is not defined": break_ingress_backend,
        "Ingress kawal-web-62-10: no TLS": break_ingress_tls,
        "without --secure_cookies": break_secure_cookies,
    }
    reported = 0
    for expected, breaker in breaks.items():
        docs = copy.deepcopy(base)
        breaker(docs)
        problems = check(source_dir, docs)
        if any(expected in p for p in problems):
            reported += 1
        else:
            print(f"FAIL: breaking '{expected}' was not reported; got {problems}")
    clean = not check(source_dir, copy.deepcopy(base))
    if not clean:
        print("FAIL: the unbroken manifests have problems")
    print(f"self-test: {reported}/{len(breaks)} breaks reported")
    return 0 if clean and reported == len(breaks) else 1


def main(argv):
    if len(argv) == 3 and argv[1] == "--selftest":
        return selftest(argv[2])
    if len(argv) != 2:
        print(__doc__)
        return 2
    problems = check(argv[1])
    for p in problems:
        print("problem:", p)
    if problems:
        return 1
    docs = load(os.path.join(argv[1], "deploy", "k8s"))
    print(f"ok: {len(docs)} documents in deploy/k8s agree (names, labels, ports, ConfigMaps)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
