/**
 * CSV as RFC 4180 writes it (https://www.rfc-editor.org/rfc/rfc4180): comma-separated, CRLF line ends, a field
 * quoted when it holds a comma, a quote or a line break, quotes doubled inside. Excel and Power BI's "From Web" read
 * it; an empty field is a null.
 */

/** A value of a CSV cell: text, a number, a flag, or nothing. */
export type CsvValue = string | number | boolean | null | undefined;

/** One CSV field: numbers as JavaScript prints them, flags as true/false, null and undefined as an empty field. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line, CRLF included. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A whole CSV text: the header line, then one line per row, each row's values in the header's order. */
export function csvText(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return csvLine(header) + rows.map(csvLine).join('');
}
