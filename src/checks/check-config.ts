/**
 * `confd check` (and `--check-config`): everything that can be checked without a
 * backend, with every problem reported rather than the first:
 *
 *   - every resource file under conf.d parses (TOML or YAML) and validates, including the
 *     backend names it reads (`backend`/`backends`);
 *   - every template compiles with its resource's engine (Handlebars or Go);
 *   - every backend named in the settings resolves: a built-in, a plugin found on disk,
 *     or a reattach address. Nothing is started or connected to.
 */
import { backendSpecs, resolveBackend } from '../backends/index.js';
import type { Settings } from '../config/settings.js';
import { ConfdError, toConfdError } from '../errors.js';
import { loadResources } from '../resource/load.js';
import type { TemplateResource } from '../resource/template-resource.js';
import { TemplateEngine } from '../template/index.js';

export interface ConfigCheck {
  resources: number;
  templates: number;
  backends: number;
  /** Every problem found, in the order of the files; empty when all is well. */
  problems: ConfdError[];
  warnings: string[];
}

export async function checkConfig(settings: Settings): Promise<ConfigCheck> {
  const result: ConfigCheck = { resources: 0, templates: 0, backends: 0, problems: [], warnings: [] };
  let loaded;
  try {
    loaded = await loadResources(settings);
  } catch (error) {
    result.problems.push(toConfdError(error));
    return result;
  }
  result.warnings.push(...loaded.warnings);
  if (loaded.confdirMissing) result.problems.push(new ConfdError(`confdir ${settings.confdir} does not exist`, { setting: 'confdir' }));
  const resources: TemplateResource[] = [];
  for (const file of loaded.files) {
    if (file.error) result.problems.push(file.error);
    if (file.resource) resources.push(file.resource);
  }
  result.resources = resources.length;
  result.problems.push(...compileTemplates(resources, result));
  const specs = backendSpecs(settings, new Set([...backendSpecs(settings).keys(), ...resources.flatMap((r) => r.backends)]));
  result.backends = specs.size;
  for (const spec of specs.values()) {
    try {
      await resolveBackend(spec.backend, spec.pluginDirs, spec.plugins);
    } catch (error) {
      result.problems.push(toConfdError(error, { backend: spec.name }));
    }
  }
  return result;
}

/** Compiles each template once per engine; a problem names the template's file and line. */
function compileTemplates(resources: readonly TemplateResource[], counts: { templates: number }): ConfdError[] {
  const engine = new TemplateEngine();
  const problems: ConfdError[] = [];
  const seen = new Set<string>();
  for (const resource of resources) {
    const id = `${resource.engine ?? ''}\0${resource.src}`;
    if (seen.has(id)) continue;
    seen.add(id);
    counts.templates++;
    try {
      engine.compile(resource.src, resource.engine);
    } catch (error) {
      problems.push(toConfdError(error, { resource: resource.file, template: resource.src }));
    }
  }
  return problems;
}
