// The `greeter` executable (dist/cli.js): a few lines that turn on Node's module compile
// cache (Node 22.1+, `module.enableCompileCache()`), then load the CLI bundle. The cache
// only covers modules loaded after it is on, so the bundle is a second file
// (dist/lib/greeter-cli.js, see scripts/build-extension.mjs): from the second run on V8
// reuses its compiled code instead of parsing and compiling 800 KB again.
import * as nodeModule from 'node:module';

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
(require('./lib/greeter-cli.js') as typeof import('./main')).runAsProgram(process.argv.slice(2));
