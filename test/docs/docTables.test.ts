import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { GENERATED_TABLES, generatedPart } from '../../tools/docTables.js';

for (const [file, render] of Object.entries(GENERATED_TABLES)) {
  test(`${file} shows the table the code holds (run npm run docs:tables after changing it)`, () => {
    assert.equal(generatedPart(fs.readFileSync(file, 'utf8')), render());
  });
}
