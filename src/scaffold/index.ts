// New Plugin's logic, free of vscode: templates, checks, writing and building a greeter
// plugin project. The command in src/vscode/commands/new-plugin.ts is its only UI.
export { createPlugin, type NewPlugin, type NewPluginRequest } from './create';
export { buildProject, buildSteps, formatStep, type BuildOptions, type BuildStep } from './build';
export { checkToolchain, type ToolchainProblem } from './toolchain';
export { invalidNameReason, unusableFolderReason, projectFolder } from './names';
export { LANGUAGES, languageInfo, executableRelativePath, type PluginLanguage, type LanguageInfo } from './languages';
export { ScaffoldError, isScaffoldError, type ScaffoldErrorCode } from './errors';
