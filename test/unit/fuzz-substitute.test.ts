// Property tests of variable substitution: any value either expands or is refused with a
// SubstitutionError (never another throw, never a literal "${…}" of a known variable left
// in), and a value built from literal text and variables expands to exactly the text and
// the variables' values, without expanding what a value contains.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import type { SubstitutionContext } from '../../src/manager';
import { resolvePath, substituteVariables, SubstitutionError, workspaceSubstitutionContext } from '../../src/manager/substitute';
import { fuzzParameters } from '../fuzz/runs';

/** Names that are also properties of every object: a lookup must not find those. */
const OBJECT_PROPERTY_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
const envName = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/), fc.constantFrom(...OBJECT_PROPERTY_NAMES), fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }).filter((s) => !s.includes('}')));
const folder = fc.array(fc.stringMatching(/^[A-Za-z0-9._ -]{1,8}$/), { minLength: 1, maxLength: 3 }).map((p) => path.join('/', ...p));

const context = fc
  .record({
    folders: fc.array(folder, { maxLength: 3 }),
    trusted: fc.boolean(),
    home: fc.oneof(fc.constant(''), folder),
    env: fc.dictionary(envName, fc.string({ unit: 'binary', maxLength: 12 }), { maxKeys: 5 }),
  })
  .map((c) => workspaceSubstitutionContext(c.folders, c.trusted, c.home, { ...c.env }));

const variable = fc.oneof(
  fc.constantFrom('${workspaceFolder}', '${workspaceFolderBasename}', '${userHome}', '${env:}', '${}', '${unknown}', '${workspaceFolder:}', '${env', '$', '{', '}', '~', '~/'),
  envName.map((n) => `\${env:${n}}`),
  fc.string({ maxLength: 8 }).map((n) => `\${workspaceFolder:${n}}`),
  fc.string({ unit: 'binary', maxLength: 10 }).map((n) => `\${${n}}`),
);
const anyValue = fc.array(fc.oneof(variable, fc.string({ unit: 'binary', maxLength: 10 })), { maxLength: 6 }).map((parts) => parts.join(''));

test('no value makes substitution or path resolution throw anything but a SubstitutionError', () => {
  fc.assert(
    fc.property(anyValue, context, (value, ctx) => {
      let out: string;
      try {
        out = substituteVariables(value, ctx);
      } catch (err) {
        assert.ok(err instanceof SubstitutionError, `threw ${String(err)}`);
        assert.ok(err.message.length > 0);
        return;
      }
      assert.equal(typeof out, 'string');
      try {
        assert.ok(path.isAbsolute(resolvePath(out, ctx)));
      } catch (err) {
        assert.ok(err instanceof SubstitutionError, `resolvePath threw ${String(err)}`);
      }
    }),
    fuzzParameters(),
  );
});

/** Text that contains no variable syntax of its own. */
const literal = fc.string({ unit: 'binary', maxLength: 8 }).filter((s) => !s.includes('${') && !s.endsWith('$'));

/** A value made of literals and variables the context defines, with what it must expand to. */
function template(ctx: SubstitutionContext) {
  const parts: fc.Arbitrary<[string, string]>[] = [literal.map((l) => [l, l] as [string, string])];
  parts.push(envName.map((n) => [`\${env:${n}}`, Object.prototype.hasOwnProperty.call(ctx.env, n) ? ctx.env[n] ?? '' : ''] as [string, string]));
  if (ctx.userHome) parts.push(fc.constant(['${userHome}', ctx.userHome]));
  const first = ctx.workspaceFolders[0];
  if (first) {
    parts.push(fc.constant(['${workspaceFolder}', first]));
    parts.push(fc.constant(['${workspaceFolderBasename}', path.basename(first)]));
  }
  return fc.array(fc.oneof(...parts), { maxLength: 6 }).filter((ps) => !ps.map(([v]) => v).join('').startsWith('~'));
}

test('literal text and defined variables expand to exactly their values, once (no re-expansion of values)', () => {
  fc.assert(
    fc.property(
      context.chain((ctx) => fc.tuple(fc.constant(ctx), template(ctx))),
      ([ctx, parts]) => {
        const value = parts.map(([v]) => v).join('');
        const expected = parts.map(([, e]) => e).join('');
        const out = substituteVariables(value, ctx);
        // A value that itself starts with ~ is the one case the result may differ: ~ expands last.
        if (expected.startsWith('~')) return;
        assert.equal(out, expected, `value ${JSON.stringify(value)}`);
      },
    ),
    fuzzParameters(),
  );
});

test('an environment variable that is not set expands to nothing, whatever its name', () => {
  fc.assert(
    fc.property(envName, (name) => {
      assert.equal(substituteVariables(`a\${env:${name}}b`, workspaceSubstitutionContext([], true, '/home/u', {})), 'ab');
    }),
    fuzzParameters(),
  );
});
