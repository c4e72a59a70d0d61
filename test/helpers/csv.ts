// Reads RFC 4180 CSV back, strictly: what a spreadsheet would see of a download, or an error
// where a quote is left open or stray.
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const character = text[i]!;
    if (quoted) {
      if (character === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (character === '"') {
        quoted = false;
        i += 1;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`stray character after a closing quote at ${i}`);
      } else {
        cell += character;
        i += 1;
      }
      continue;
    }
    if (character === '"') {
      if (cell !== '') throw new Error(`quote inside an unquoted cell at ${i}`);
      quoted = true;
      i += 1;
    } else if (character === ',') {
      record.push(cell);
      cell = '';
      i += 1;
    } else if (character === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i += 2;
    } else if (character === '\n' || character === '\r') {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else {
      cell += character;
      i += 1;
    }
  }
  if (quoted) throw new Error('a quoted cell is never closed');
  if (cell !== '' || record.length) throw new Error('the last record is not ended by CRLF');
  return records;
}
