#!/usr/bin/env python3
"""Writes the APBDes sample files of tests/data/apbdes/ (docs/apbdes-import.md).

Reproducible: the same bytes on every run (fixed zip timestamps, no
randomness), so the committed files can be checked against this script:
    python3 scripts/make-apbdes-samples.py && git diff --exit-code tests/data/apbdes
Only python3's standard library (zipfile) is used.

  apbdes-2026-sample.csv   60 activities as Indonesian Excel saves a sheet:
                           UTF-8 BOM, CRLF, ';' separated, title rows, a header
                           over two rows (merged "Anggaran" cell), a row of
                           column numbers, bidang/sub-bidang heading rows,
                           empty rows, "Rp 1.250.000" amounts, a total row.
  apbdes-2026-sample.xlsx  the same sheet as an .xlsx workbook (numbers as
                           numbers, text in shared strings and a few inline
                           strings, empty cells left out).
  apbdes-2026-3-bad-rows.csv  the same 60 rows, ',' separated, LF, no BOM,
                           with three rows broken (lines listed in BAD_ROWS).
"""
import os
import sys
import zipfile

SOURCES = ["DDS", "ADD", "PBH", "PBP", "PBK", "PAD", "DLL"]

# (bidang, name), (sub-bidang, name), activities per sub-bidang.
PLAN = [
    ("1", "PENYELENGGARAAN PEMERINTAHAN DESA", [
        ("1.1", "Penyelenggaraan Belanja Siltap, Tunjangan dan Operasional Pemerintahan Desa", [
            "Penyediaan Penghasilan Tetap dan Tunjangan Kepala Desa",
            "Penyediaan Penghasilan Tetap dan Tunjangan Perangkat Desa",
            "Penyediaan Jaminan Sosial bagi Kepala Desa dan Perangkat Desa",
            "Penyediaan Operasional Pemerintah Desa (ATK, Honorarium PKPKD dan PPKD dll)",
            "Penyediaan Tunjangan BPD",
            "Penyediaan Operasional BPD (rapat, ATK, Makan Minum, Pakaian Seragam)",
        ]),
        ("1.2", "Sarana dan Prasarana Pemerintahan Desa", [
            "Penyediaan Sarana (Aset Tetap) Perkantoran/Pemerintahan",
            "Pemeliharaan Gedung/Prasarana Kantor Desa",
            "Pembangunan/Rehabilitasi/Peningkatan Gedung/Prasarana Kantor Desa",
        ]),
        ("1.3", "Administrasi Kependudukan, Pencatatan Sipil, Statistik dan Kearsipan", [
            "Pelayanan Administrasi Umum dan Kependudukan",
            "Penyusunan/Pendataan/Pemutakhiran Profil Desa",
        ]),
        ("1.4", "Tata Praja Pemerintahan, Perencanaan, Keuangan dan Pelaporan", [
            "Penyelenggaraan Musyawarah Perencanaan Desa/Pembahasan APBDes",
            "Penyusunan Dokumen Perencanaan Desa (RPJMDes/RKPDes dll)",
            "Penyusunan Dokumen Keuangan Desa (APBDes/APBDes Perubahan/LPJ APBDes)",
            "Penyusunan Laporan Kepala Desa, LPPDesa dan Informasi kepada Masyarakat",
        ]),
    ]),
    ("2", "PELAKSANAAN PEMBANGUNAN DESA", [
        ("2.1", "Pendidikan", [
            "Penyelenggaraan PAUD/TK/TPA/TKA/TPQ/Madrasah Non-Formal Milik Desa",
            "Pembangunan/Rehabilitasi/Peningkatan Sarana Prasarana PAUD Milik Desa",
        ]),
        ("2.2", "Kesehatan", [
            "Penyelenggaraan Pos Kesehatan Desa (PKD)/Polindes Milik Desa",
            "Penyelenggaraan Posyandu (Makanan Tambahan, Kelas Ibu Hamil, Kelas Lansia)",
            "Penyelenggaraan Desa Siaga Kesehatan",
            "Pembangunan/Rehabilitasi/Peningkatan Sarana Prasarana Posyandu",
            "Pencegahan Stunting: Pemberian Makanan Tambahan Balita",
        ]),
        ("2.3", "Pekerjaan Umum dan Penataan Ruang", [
            "Pemeliharaan Jalan Desa",
            "Pemeliharaan Jembatan Milik Desa",
            "Pembangunan/Rehabilitasi/Peningkatan/Pengerasan Jalan Desa",
            "Pembangunan/Rehabilitasi/Peningkatan Jalan Usaha Tani",
            "Pembangunan/Rehabilitasi/Peningkatan Jembatan Milik Desa",
            "Pembangunan/Rehabilitasi/Peningkatan Drainase dan Gorong-gorong",
            "Pembangunan/Rehabilitasi/Peningkatan Balai Desa/Balai Kemasyarakatan",
            "Pembangunan/Rehabilitasi/Peningkatan Sumber Air Bersih Milik Desa",
        ]),
        ("2.4", "Kawasan Permukiman", [
            "Pembangunan/Rehabilitasi/Peningkatan Rumah Tidak Layak Huni",
            "Pembangunan/Rehabilitasi/Peningkatan Sanitasi Permukiman",
            "Pembangunan/Rehabilitasi/Peningkatan Sistem Pengelolaan Sampah",
            "Pembangunan/Rehabilitasi/Peningkatan Penerangan Lingkungan Permukiman",
        ]),
        ("2.5", "Kehutanan dan Lingkungan Hidup", [
            "Pengelolaan Hutan Milik Desa",
            "Pengelolaan Lingkungan Hidup Desa",
        ]),
        ("2.6", "Perhubungan, Komunikasi dan Informatika", [
            "Pembuatan Rambu-rambu di Jalan Desa",
            "Penyelenggaraan Informasi Publik Desa (Papan Informasi, Baliho APBDes)",
        ]),
    ]),
    ("3", "PEMBINAAN KEMASYARAKATAN", [
        ("3.1", "Ketenteraman, Ketertiban Umum dan Pelindungan Masyarakat", [
            "Pengadaan/Penyelenggaraan Pos Keamanan Desa",
            "Penguatan dan Peningkatan Kapasitas Tenaga Keamanan/Ketertiban (Linmas)",
        ]),
        ("3.2", "Kebudayaan dan Keagamaan", [
            "Pembinaan Group Kesenian dan Kebudayaan Tingkat Desa",
            "Penyelenggaraan Festival Kesenian, Adat/Kebudayaan Desa",
            "Pembinaan Kerukunan Umat Beragama",
        ]),
        ("3.3", "Kepemudaan dan Olah Raga", [
            "Pengiriman Kontingen Kepemudaan dan Olahraga sebagai Wakil Desa",
            "Penyelenggaraan Pelatihan Kepemudaan Tingkat Desa",
            "Pembangunan/Rehabilitasi/Peningkatan Sarana dan Prasarana Olahraga",
        ]),
        ("3.4", "Kelembagaan Masyarakat", [
            "Pembinaan Lembaga Adat",
            "Pembinaan LKMD/LPM/LPMD",
            "Pembinaan PKK",
        ]),
    ]),
    ("4", "PEMBERDAYAAN MASYARAKAT", [
        ("4.2", "Pertanian dan Peternakan", [
            "Peningkatan Produksi Tanaman Pangan (Ketahanan Pangan)",
            "Peningkatan Produksi Peternakan (Ketahanan Pangan)",
            "Penguatan Ketahanan Pangan Tingkat Desa (Lumbung Desa)",
        ]),
        ("4.3", "Peningkatan Kapasitas Aparatur Desa", [
            "Peningkatan Kapasitas Kepala Desa",
            "Peningkatan Kapasitas Perangkat Desa",
            "Peningkatan Kapasitas BPD",
        ]),
        ("4.4", "Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga", [
            "Pelatihan/Penyuluhan Pemberdayaan Perempuan",
        ]),
        ("4.6", "Dukungan Penanaman Modal", [
            "Penyertaan Modal Desa (BUMDes)",
        ]),
    ]),
    ("5", "PENANGGULANGAN BENCANA, KEADAAN DARURAT DAN MENDESAK", [
        ("5.1", "Penanggulangan Bencana", [
            "Penanggulangan Bencana Kebakaran Hutan dan Lahan",
        ]),
        ("5.2", "Keadaan Darurat", [
            "Keadaan Darurat (Wabah Penyakit)",
        ]),
        ("5.3", "Keadaan Mendesak", [
            "Bantuan Langsung Tunai (BLT) Dana Desa",
        ]),
    ]),
]

UNITS = ["Tahun", "Paket", "Kegiatan", "Orang", "Unit", "m", "m2", "Bulan", "KK", "Titik"]
PLACES = ["Kantor Desa", "RT 01", "RT 02", "RT 03", "Dusun I", "Dusun II", "Seluruh Desa"]

HEADER_1 = ["Kode Kegiatan", "Uraian Kegiatan", "Volume", "Satuan",
            "Anggaran per Sumber Dana (Rp)", "", "", "", "", "", "", "Jumlah (Rp)", "Lokasi"]
HEADER_2 = ["", "", "", ""] + SOURCES + ["", ""]
TITLE = [["ANGGARAN PENDAPATAN DAN BELANJA DESA (APBDes)"],
         ["DESA SEPANG KOTA KECAMATAN SEPANG TAHUN ANGGARAN 2026"],
         [""]]


def dotted(n):
    return "{:,}".format(n).replace(",", ".")


def activities():
    """(kode, name, volume, unit, {source: amount}, lokasi) for the 60 rows."""
    out = []
    i = 0
    for bidang, _, subs in PLAN:
        for sub, _, names in subs:
            for k, name in enumerate(names, start=1):
                i += 1
                kode = "%s.%02d" % (sub, k)
                amounts = {"DDS": 0, "ADD": 0, "PBH": 0, "PBP": 0, "PBK": 0, "PAD": 0, "DLL": 0}
                base = 1_000_000 * (5 + (i * 37) % 140)
                if bidang == "1":
                    amounts["ADD"] = base
                    if i % 3 == 0:
                        amounts["PBH"] = 2_500_000 + 250_000 * (i % 4)
                else:
                    amounts["DDS"] = base
                    if i % 4 == 0:
                        amounts["ADD"] = 12_750_000
                    if i % 7 == 0:
                        amounts["PAD"] = 1_500_000
                    if i % 11 == 0:
                        amounts["PBK"] = 25_000_000
                volume = (i % 9) + 1
                if i % 10 == 5:
                    volume = "%d,5" % volume  # a decimal comma
                out.append((kode, name, volume, UNITS[i % len(UNITS)], amounts,
                            PLACES[i % len(PLACES)]))
    assert len(out) == 60, len(out)
    return out


def sheet_rows():
    """The sheet as a list of rows of cells (str or int); one row per line."""
    rows = [list(r) for r in TITLE] + [HEADER_1, HEADER_2, [str(n) for n in range(1, 14)]]
    acts = activities()
    total = 0
    index = 0
    for bidang, bidang_name, subs in PLAN:
        rows.append([bidang, bidang_name])
        for sub, sub_name, names in subs:
            rows.append([sub, sub_name])
            for _ in names:
                kode, name, volume, unit, amounts, place = acts[index]
                index += 1
                cells = [kode, name, volume, unit]
                for s in SOURCES:
                    cells.append(amounts[s])
                row_total = sum(amounts.values())
                total += row_total
                cells += [row_total, place]
                rows.append(cells)
        rows.append([])  # an empty row after each bidang
    rows.append(["", "JUMLAH BELANJA", "", "", "", "", "", "", "", "", "", total, ""])
    return rows


def csv_cell(value, column, row_number):
    if isinstance(value, int):
        if value == 0:
            return "-"
        # Amount columns: "Rp 1.250.000" on every other row, else "1.250.000".
        if column >= 4 and row_number % 2 == 0:
            return "Rp " + dotted(value)
        return dotted(value) if column >= 4 else str(value)
    return value


def csv_text(rows, sep, newline):
    lines = []
    for n, row in enumerate(rows, start=1):
        cells = [csv_cell(v, c, n) for c, v in enumerate(row)]
        quoted = []
        for c in cells:
            if sep in c or '"' in c:
                c = '"' + c.replace('"', '""') + '"'
            quoted.append(c)
        lines.append(sep.join(quoted))
    return newline.join(lines) + newline


# Lines of the bad-rows file that are broken, and how.
BAD_ROWS = {
    "2.3.02": ("kode", "2.3.x2"),           # not a kode kegiatan
    "3.2.01": ("DDS", "12,5 juta"),          # not an amount
    "4.2.03": ("kode", "7.1.01"),           # no bidang 7
}


def bad_rows_text():
    rows = sheet_rows()
    for row in rows:
        if row and row[0] in BAD_ROWS:
            what, text = BAD_ROWS[row[0]]
            if what == "kode":
                row[0] = text
            else:
                row[4 + SOURCES.index(what)] = text
    return csv_text(rows, ",", "\n")


def col_name(c):
    name = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        name = chr(65 + r) + name
    return name


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def xlsx_bytes(path):
    rows = sheet_rows()
    shared, index = [], {}
    sheet = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, start=1):
        if not any(str(v) for v in row):
            continue  # an empty row is simply absent
        sheet.append('<row r="%d">' % r)
        for c, v in enumerate(row):
            ref = "%s%d" % (col_name(c), r)
            if isinstance(v, int):
                if v != 0:
                    sheet.append('<c r="%s"><v>%d</v></c>' % (ref, v))
            elif isinstance(v, str) and v:
                if "," in v and v.replace(",", "").isdigit():  # a decimal volume
                    sheet.append('<c r="%s"><v>%s</v></c>' % (ref, v.replace(",", ".")))
                elif c == 12 and r % 5 == 0:  # some lokasi as inline strings
                    sheet.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>'
                                 % (ref, xml_escape(v)))
                else:
                    if v not in index:
                        index[v] = len(shared)
                        shared.append(v)
                    sheet.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, index[v]))
        sheet.append("</row>")
    sheet.append("</sheetData></worksheet>")
    sst = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" '
           'uniqueCount="%d">' % (len(shared), len(shared))]
    for s in shared:
        sst.append('<si><t xml:space="preserve">%s</t></si>' % xml_escape(s))
    sst.append("</sst>")
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '</Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>',
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="APBDes 2026" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>',
        "xl/worksheets/sheet1.xml": "".join(sheet),
        "xl/sharedStrings.xml": "".join(sst),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "tests", "data", "apbdes")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "apbdes-2026-sample.csv"), "wb") as f:
        f.write(b"\xef\xbb\xbf" + csv_text(sheet_rows(), ";", "\r\n").encode("utf-8"))
    with open(os.path.join(out, "apbdes-2026-3-bad-rows.csv"), "wb") as f:
        f.write(bad_rows_text().encode("utf-8"))
    xlsx_bytes(os.path.join(out, "apbdes-2026-sample.xlsx"))


if __name__ == "__main__":
    main()
