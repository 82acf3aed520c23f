import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, parseCsvTable } from '../../db/directory/csv.ts';

describe('the RFC 4180 CSV reader', () => {
  it('splits fields and records, with CRLF or LF line ends', () => {
    expect(parseCsv('a,b,c\r\n1,2,3\n4,5,6')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
      { line: 3, fields: ['4', '5', '6'] },
    ]);
  });

  it('keeps empty fields, including a last empty field', () => {
    expect(parseCsv('a,,c,\r\n,,,\r\n')).toEqual([
      { line: 1, fields: ['a', '', 'c', ''] },
      { line: 2, fields: ['', '', '', ''] },
    ]);
  });

  it('reads quoted fields with separators, line breaks and doubled quotes, counting lines', () => {
    const records = parseCsv('id,text\r\n1,"a, b"\r\n2,"two\r\nlines ""quoted"""\r\n3,after\r\n');
    expect(records).toEqual([
      { line: 1, fields: ['id', 'text'] },
      { line: 2, fields: ['1', 'a, b'] },
      { line: 3, fields: ['2', 'two\r\nlines "quoted"'] },
      { line: 5, fields: ['3', 'after'] },
    ]);
  });

  it('ignores a byte order mark and blank lines', () => {
    expect(parseCsv('\uFEFFa,b\n\n1,2\n\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', '2'] },
    ]);
  });

  it('takes a quote inside an unquoted field literally', () => {
    expect(parseCsv('5" screen,x')).toEqual([{ line: 1, fields: ['5" screen', 'x'] }]);
  });

  it('marks a record with text after a closing quote, and reads on', () => {
    expect(parseCsv('1,"a"b,c\n2,d,e')).toEqual([
      { line: 1, fields: ['1', 'ab', 'c'], error: 'column 2: text after the closing quote' },
      { line: 2, fields: ['2', 'd', 'e'] },
    ]);
  });

  it('refuses a quoted field that is never closed, naming the line where it opens', () => {
    expect(() => parseCsv('id,name\n1,ok\n2,"never\nclosed')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('id,name\n1,ok\n2,"never\nclosed')).toThrow(
      'line 3: a quoted field is never closed',
    );
  });

  it('maps rows onto the header, and marks rows with another number of fields', () => {
    expect(parseCsvTable('id,name\n1,Een\n2\n3,Drie,extra')).toEqual({
      columns: ['id', 'name'],
      rows: [
        { line: 2, values: { id: '1', name: 'Een' } },
        { line: 3, values: { id: '2', name: '' }, error: 'has 1 fields, the header has 2' },
        { line: 4, values: { id: '3', name: 'Drie' }, error: 'has 3 fields, the header has 2' },
      ],
    });
    expect(parseCsvTable('')).toEqual({ columns: [], rows: [] });
  });
});
