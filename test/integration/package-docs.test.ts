// Every export of greeter-plugins/sdk and greeter-plugins/host carries a doc comment
// (shown by editors on hover in a user's project), read with the TypeScript checker.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const ENTRIES = ['src/package/sdk.ts', 'src/package/host.ts'].map((p) => path.resolve(__dirname, '../..', p));

test('every public export has a doc comment', () => {
  const program = ts.createProgram(ENTRIES, { strict: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, types: ['node'], noEmit: true });
  const checker = program.getTypeChecker();
  const undocumented: string[] = [];
  for (const entry of ENTRIES) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!);
    assert.ok(module, `${entry} is not a module`);
    const exports = checker.getExportsOfModule(module);
    assert.ok(exports.length > 5, `${entry} exports ${exports.length} names`);
    for (const exported of exports) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      // A namespace re-export (export * as grpc) documents itself at the export.
      const declaration = exported.declarations?.[0];
      const doc =
        declaration && ts.isNamespaceExport(declaration)
          ? ts.getJSDocCommentsAndTags(declaration.parent).map((d) => d.getText()).join('')
          : ts.displayPartsToString(target.getDocumentationComment(checker));
      if (!doc.trim()) undocumented.push(`${path.basename(entry)}: ${exported.name} (${target.declarations?.[0]?.getSourceFile().fileName ?? '?'})`);
    }
  }
  assert.deepEqual(undocumented, [], 'exports without a doc comment');
});
