// Loads each XLSX given on the command line with exceljs and prints, per file,
// one JSON line: {"file", "ok", "error"?, "sheets"?: [{"name", "rows", "firstValue"}]}.
// Used by tests/test_compat.py; exit code 0 even when a file fails (the test reads the lines).
"use strict";
const ExcelJS = require("exceljs");

async function load(file) {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch (err) {
    return { file, ok: false, error: String((err && err.stack) || err) };
  }
  const sheets = wb.worksheets.map((ws) => {
    const cells = [];
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const v = cell.value;
        let text;
        if (v && typeof v === "object" && Array.isArray(v.richText)) text = v.richText.map((r) => r.text).join("");
        else text = v === null || v === undefined ? "" : String(v);
        cells.push([cell.address, text]);
      });
    });
    return { name: ws.name, rowCount: ws.rowCount, cells, rowBreaks: (ws.rowBreaks || []).length };
  });
  return {
    file,
    ok: true,
    sheets,
    creator: wb.creator,
    title: wb.title,
  };
}

(async () => {
  for (const file of process.argv.slice(2)) {
    process.stdout.write(JSON.stringify(await load(file)) + "\n");
  }
})();
