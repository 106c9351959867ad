// --help for the build scripts: prints the usage and exits 0; an option the script does not
// know exits 2 with the usage, instead of being ignored.

/**
 * @param {string} usage  the text to print (starts with "Usage:")
 * @param {{ options?: string[], positional?: boolean, argv?: string[] }} spec
 *   options: the flags the script accepts; positional: whether other arguments are allowed
 */
export function handleUsage(usage, { options = [], positional = false, argv = process.argv.slice(2) } = {}) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  for (const arg of argv) {
    const known = options.includes(arg) || (positional && !arg.startsWith('-'));
    if (!known) {
      console.error(`unknown argument "${arg}"\n\n${usage}`);
      process.exit(2);
    }
  }
}
