// `-h` / `--help` for every bench script that takes arguments: print its usage, exit 0.

export function exitOnHelp(usage: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage.trim() + '\n');
    process.exit(0);
  }
}
