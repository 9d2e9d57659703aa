/** A small valid PDF (one empty page) padded with a comment to `size` bytes; `tag` makes it unique. */
export function pdfOf(size: number, tag: string): Buffer {
  const head = `%PDF-1.4\n% ${tag}\n`;
  const objs = [
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n',
  ];
  let body = head;
  const offsets: number[] = [];
  for (const o of objs) {
    offsets.push(Buffer.byteLength(body));
    body += o;
  }
  const xref = Buffer.byteLength(body);
  body += `xref\n0 4\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const pad = Math.max(0, size - Buffer.byteLength(body));
  // Padding after %%EOF as comment lines: readers ignore it.
  const line = `%${'x'.repeat(78)}\n`;
  const padding = line.repeat(Math.floor(pad / line.length)) + '%'.padEnd(pad % line.length, 'y');
  return Buffer.from(body + padding);
}

/** A multipart body with one part `file`. */
export function uploadForm(bytes: Buffer, name: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), name);
  return form;
}
