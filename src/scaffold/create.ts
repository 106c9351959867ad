// New Plugin without the UI: check, write, build. Nothing is configured here; the caller
// adds the settings entry only once this resolves, so a failed build is never configured.

import { buildProject, type BuildOptions } from './build';
import { ScaffoldError } from './errors';
import { executableRelativePath, type PluginLanguage } from './languages';
import { invalidNameReason, projectFolder, unusableFolderReason } from './names';
import { renderProject, writeProject } from './render';
import { checkToolchain } from './toolchain';
import * as path from 'node:path';

/** What to create. */
export interface NewPluginRequest {
  language: PluginLanguage;
  name: string;
  /** The project goes into `<parentDir>/<name>`. */
  parentDir: string;
  /** dist/scaffold of the extension (or a folder assembled by assembleScaffoldAssets). */
  assetsDir: string;
  /** Names already configured. */
  taken?: ReadonlySet<string>;
}

/** A created and built project. */
export interface NewPlugin {
  name: string;
  dir: string;
  executable: string;
}

/**
 * Checks the name, the folder and the toolchain, and only then writes the project and
 * builds it. Rejects with a ScaffoldError; after a failed build the files stay for the
 * author to look at, but nothing points at them.
 */
export async function createPlugin(request: NewPluginRequest, options: BuildOptions = {}): Promise<NewPlugin> {
  const { language, name, parentDir, assetsDir } = request;
  const nameProblem = invalidNameReason(name, request.taken);
  if (nameProblem) throw new ScaffoldError('INVALID_NAME', nameProblem);
  const dir = projectFolder(parentDir, name);
  const folderProblem = unusableFolderReason(dir);
  if (folderProblem) throw new ScaffoldError('FOLDER_NOT_EMPTY', folderProblem);
  const missing = await checkToolchain(language, { env: options.env });
  if (missing) throw new ScaffoldError('TOOLCHAIN_MISSING', missing.message);

  const executable = path.join(dir, executableRelativePath(name));
  const files = renderProject(assetsDir, language, { name, executable });
  writeProject(dir, files);
  await buildProject(language, dir, name, options);
  return { name, dir, executable };
}
