// The host's side of exporting (src/extension/exportFile.ts): default file names and the check of what the
// panel sends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkExport, defaultExportName, MAX_EXPORT_CHARACTERS } from '../../src/extension/exportFile.ts';

// The 8-byte PNG signature and the start of an IHDR chunk, in base64 (written out by hand, not by the code).
const PNG_BASE64 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).toString('base64');

describe('defaultExportName', () => {
  it("names the picture after the evaluated file, with the format's extension", () => {
    assert.equal(defaultExportName('/home/me/course/micrograd.ts', false, 'svg'), 'micrograd.svg');
    assert.equal(defaultExportName('/home/me/course/micrograd.ts', false, 'png'), 'micrograd.png');
    assert.equal(defaultExportName('/home/me/course/micrograd.ts', false, 'mermaid'), 'micrograd.mmd');
    assert.equal(defaultExportName('C:\\course\\layers.test.js', false, 'svg'), 'layers.test.svg');
    assert.equal(defaultExportName('/c/Makefile', false, 'png'), 'Makefile.png');
    assert.equal(defaultExportName('/c/.eslintrc.js', false, 'png'), '.eslintrc.png');
  });

  it('names an untitled or unnamed picture gradient-graph', () => {
    assert.equal(defaultExportName('Untitled-1', true, 'svg'), 'gradient-graph.svg');
    assert.equal(defaultExportName(undefined, false, 'png'), 'gradient-graph.png');
    assert.equal(defaultExportName('/folder/', false, 'svg'), 'gradient-graph.svg');
  });
});

describe('checkExport', () => {
  it('copies mermaid text and SVG as they are, and writes them as UTF-8', () => {
    assert.deepEqual(checkExport({ format: 'mermaid', target: 'clipboard', content: 'flowchart LR\n  v0["∂"]\n' }), { ok: true, format: 'mermaid', target: 'clipboard', text: 'flowchart LR\n  v0["∂"]\n' });
    const svg = checkExport({ format: 'svg', target: 'file', content: '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">∂</svg>' });
    assert.ok(svg.ok && svg.target === 'file');
    assert.deepEqual([...svg.bytes.slice(-9)], [0xe2, 0x88, 0x82, ...Buffer.from('</svg>')]);
  });

  it('decodes a PNG from base64 for a file', () => {
    const png = checkExport({ format: 'png', target: 'file', content: PNG_BASE64 });
    assert.ok(png.ok && png.target === 'file');
    assert.deepEqual([...png.bytes], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  });

  it('says what is wrong with a bad message instead of writing it', () => {
    const error = (message: Parameters<typeof checkExport>[0]) => {
      const checked = checkExport(message);
      return checked.ok ? 'accepted' : checked.error;
    };
    assert.match(error({ format: 'gif' as never, target: 'file', content: 'x' }), /unknown export format "gif"/);
    assert.match(error({ format: 'svg', target: 'printer' as never, content: '<svg/>' }), /unknown export target "printer"/);
    assert.match(error({ format: 'svg', target: 'file', content: '' }), /no SVG/);
    assert.match(error({ format: 'svg', target: 'file', content: 42 as never }), /no SVG/);
    assert.match(error({ format: 'svg', target: 'file', content: '<html>' }), /does not start with <svg/);
    assert.match(error({ format: 'mermaid', target: 'clipboard', content: 'sequenceDiagram' }), /not a flowchart/);
    assert.match(error({ format: 'png', target: 'file', content: 'not base64!' }), /not base64/);
    assert.match(error({ format: 'png', target: 'file', content: Buffer.from('GIF89a-not-a-png').toString('base64') }), /not a PNG file/);
    assert.match(error({ format: 'png', target: 'clipboard', content: PNG_BASE64 }), /copied by the panel itself/);
    assert.match(error({ format: 'svg', target: 'file', content: `<svg>${' '.repeat(MAX_EXPORT_CHARACTERS)}` }), /larger than 200 MB/);
  });
});
