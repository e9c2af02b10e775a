import { basename } from 'node:path';
import type { FeedInput, SourceFile } from '../../ingest.types.js';
import type { StageContext } from '../../feed.js';
import { ingestSql } from '../../sql/ingest-sql.js';
import { readRules, rulesFor } from '../../staging/rule-engine.js';
import { ENTITIES, type Entity, repeatRules, type StagedMode } from './package-table.js';
import { type FileMode, type OneRosterVersion, VOCABULARIES } from './vocabulary.js';
import { say } from '../../problems/problem-catalogue.js';

const Q = {
  properties: ingestSql('oneroster/manifest/properties'),
  versionSaid: ingestSql('oneroster/manifest/version-said'),
};
const RULES = readRules('oneroster/rules/manifest-rules');

/** A package as its manifest describes it: the version, and the entity files to read with their mode. */
export interface RosterPackage {
  version: OneRosterVersion;
  manifest: SourceFile;
  /** Entity files present and marked bulk or delta. */
  files: Partial<Record<Entity, { file: SourceFile; mode: StagedMode }>>;
  /** Every `file.<name>` of the manifest, so rules can say that a file was declared absent. */
  modes: Map<string, FileMode>;
}

const csvName = (file: SourceFile) => basename(file.path);

/**
 * Reads manifest.csv (`propertyName,value`): `oneroster.version` 1.1 or 1.2, and `file.<name>` =
 * bulk | delta | absent for each file. A file declared bulk or delta must be there; a file that is
 * there but declared absent, or not declared at all, is ignored with a warning. Returns null when the
 * package cannot be read at all (no usable manifest or version): the errors are recorded.
 */
export async function readManifest(context: StageContext, input: FeedInput): Promise<RosterPackage | null> {
  const { staging } = context;
  const manifest = input.files.find((f) => csvName(f) === 'manifest.csv');
  if (!manifest) {
    await staging.problem({
      severity: 'error',
      file: `${input.name}/manifest.csv`,
      row: null,
      column: null,
      value: null,
      ...say('oneroster.manifest_missing'),
    });
    return null;
  }
  const raw = await staging.readCsv(manifest, { required: ['propertyName', 'value'] });
  if (!raw) return null;
  const table = raw.table;
  const rules = [...repeatRules(table, '"propertyName"', 'propertyName'), ...rulesFor(RULES, {}, VOCABULARIES)];
  await staging.validate(table, manifest.name, rules, VOCABULARIES);
  const rows = await staging.all<{ line: bigint; propertyName: string; value: string | null }>(Q.properties, { table });
  await staging.dropTable(table);
  const version = rows.find((r) => r.propertyName === 'oneroster.version')?.value as OneRosterVersion | undefined;
  if (!version) {
    const declared = await staging.all(Q.versionSaid, {}, [manifest.name]);
    if (declared.length === 0) {
      await staging.problem({
        severity: 'error',
        file: manifest.name,
        row: null,
        column: 'propertyName',
        value: null,
        ...say('oneroster.no_version'),
      });
    }
    return null;
  }

  const present = new Map(input.files.filter((f) => f !== manifest).map((f) => [csvName(f).replace(/\.csv$/i, ''), f]));
  const modes = new Map<string, FileMode>();
  for (const row of rows) {
    if (!row.propertyName.startsWith('file.')) continue;
    const name = row.propertyName.slice('file.'.length);
    const mode = row.value as FileMode;
    modes.set(name, mode);
    if (mode !== 'absent' && !present.has(name)) {
      await staging.problem({
        severity: 'error',
        file: manifest.name,
        row: Number(row.line),
        column: 'value',
        value: mode,
        ...say('oneroster.manifest_file_missing', { name, mode }),
      });
    }
  }

  const files: RosterPackage['files'] = {};
  for (const [name, file] of present) {
    const mode = modes.get(name);
    if (mode === undefined) {
      await staging.problem({
        severity: 'warning',
        file: file.name,
        row: null,
        column: null,
        value: null,
        ...say('oneroster.not_in_manifest'),
      });
    } else if (mode === 'absent') {
      await staging.problem({
        severity: 'warning',
        file: file.name,
        row: null,
        column: null,
        value: null,
        ...say('oneroster.marked_absent'),
      });
    } else if (name === 'roles' && version === '1.1') {
      // 1.1 carries roles on users.csv (role, orgSourcedIds); a roles.csv would contradict it.
      await staging.problem({
        severity: 'warning',
        file: file.name,
        row: null,
        column: null,
        value: null,
        ...say('oneroster.roles_in_v11'),
      });
    } else if ((ENTITIES as readonly string[]).includes(name)) {
      files[name as Entity] = { file, mode };
    }
  }
  return { version, manifest, files, modes };
}

/** True when the manifest declares the file absent (or does not list it): rules then say so. */
export function declaredAbsent(pkg: RosterPackage, entity: Entity): boolean {
  const mode = pkg.modes.get(entity);
  return mode === undefined || mode === 'absent';
}
