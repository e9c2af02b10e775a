import { basename } from 'node:path';
import type { FeedInput, SourceFile } from '../../ingest.types.js';
import type { StageContext } from '../../feed.js';
import { duplicateRule } from '../../staging.js';
import { ENTITIES, type Entity, type StagedMode } from './package-table.js';
import { FILE_MODES, ONEROSTER_VERSIONS, type FileMode, type OneRosterVersion, sqlList } from './vocabulary.js';
import { say } from '../../problems/problem-catalogue.js';

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
  await staging.validate(table, manifest.name, [
    duplicateRule(table, ['"propertyName"'], 'propertyName', 'propertyName'),
    {
      severity: 'error',
      column: 'propertyName',
      ...say('oneroster.required', { column: 'propertyName' }),
      when: '"propertyName" IS NULL',
    },
    {
      severity: 'error',
      column: 'value',
      ...say('oneroster.either', { column: 'oneroster.version', values: ONEROSTER_VERSIONS }),
      when: `"propertyName" = 'oneroster.version' AND coalesce(value NOT IN (${sqlList(ONEROSTER_VERSIONS)}), true)`,
    },
    {
      severity: 'error',
      column: 'value',
      ...say('oneroster.file_mode', { values: FILE_MODES }),
      when: `starts_with("propertyName", 'file.') AND coalesce(value NOT IN (${sqlList(FILE_MODES)}), true)`,
    },
  ]);
  const rows = await staging.session.all<{ line: bigint; propertyName: string; value: string | null }>(
    `SELECT line, "propertyName", value FROM ${table} WHERE NOT rejected AND "propertyName" IS NOT NULL ORDER BY line`,
  );
  await staging.session.run(`DROP TABLE ${table}`);
  const version = rows.find((r) => r.propertyName === 'oneroster.version')?.value as OneRosterVersion | undefined;
  if (!version) {
    const declared = await staging.session.all(
      `SELECT 1 FROM ${staging.t('problems')} WHERE file = $1 AND code = 'oneroster.either' AND params LIKE '%"oneroster.version"%'`,
      [manifest.name],
    );
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
