import { Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../../src/common/project-root.js';

/**
 * The Dockerfile and docker-compose.yml, checked without Docker (no engine runs here, and hadolint is in
 * neither registry this project reaches): the Dockerfile through dockerfile-utils' linter (the one behind
 * VS Code's Docker support) and the rules below; the compose file parsed as YAML and held to the same.
 */
const root = projectRoot();
const read = (file: string) => readFileSync(join(root, file), 'utf8');

const dockerfileText = read('Dockerfile');
const dockerfile = DockerfileParser.parse(dockerfileText);
const instructions = dockerfile.getInstructions();
const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());
/** The stage a COPY takes from (`--from=`), if any. */
const fromStage = (i: Instruction) => (i instanceof Copy ? i.getFromFlag()?.getValue() : undefined);

/** The instructions of each build stage (from its FROM to the next). */
function stages(): { name: string | undefined; image: string; instructions: Instruction[] }[] {
  const defaults = new Map(
    instructions
      .filter((i) => i.getKeyword() === 'ARG')
      .map((i) => args(i)[0].split('='))
      .map(([name, value]) => [name, value] as [string, string]),
  );
  const found: { name: string | undefined; image: string; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'FROM') {
      const [image, as, name] = args(instruction);
      expect(as === undefined || as.toUpperCase() === 'AS').toBe(true);
      const resolved = image.replace(/\$\{(\w+)\}/g, (_, variable: string) => defaults.get(variable) ?? '');
      found.push({ name, image: resolved, instructions: [] });
    } else found.at(-1)?.instructions.push(instruction);
  }
  return found;
}

const envOf = (instructions: Instruction[]) =>
  Object.fromEntries(
    instructions
      .filter((i) => i.getKeyword() === 'ENV')
      .flatMap((i) => args(i))
      .map((pair) => pair.split('=') as [string, string]),
  );

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|PRIVATE|_KEY$/i;

describe('Dockerfile', () => {
  it('passes the linter, which does find the faults of a broken one', () => {
    expect(validate(dockerfileText)).toEqual([]);
    const broken = validate('FROM node:24-bookworm-slim\nCOPPY . .\nEXPOSE port\nHEALTHCHECK --interval=x CMD true\n');
    expect(broken.length).toBeGreaterThanOrEqual(3);
  });

  it('builds in one stage and runs from another, on a current LTS line of Node with a tag, never latest', () => {
    const all = stages();
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const { image } of all) {
      expect(image).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(image).not.toMatch(/:latest$/);
      expect(image).toMatch(/^node:(24|22)[.-]/);
    }
    const [build, runtime] = [all[0], all.at(-1)!];
    expect(build.instructions.map((i) => i.getKeyword())).toContain('RUN');
    const buildRuns = build.instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => args(i).join(' '));
    expect(buildRuns.join(' ')).toMatch(/npm ci/);
    expect(buildRuns.join(' ')).toMatch(/npm run build/);
    expect(buildRuns.join(' ')).toMatch(/npm prune --omit=dev/);
    // The runtime takes the build's output, not the sources.
    const runtimeCopies = runtime.instructions.filter((i) => i.getKeyword() === 'COPY');
    expect(runtimeCopies.some((i) => fromStage(i) === build.name && args(i).includes('/app/dist'))).toBe(true);
    expect(runtimeCopies.some((i) => args(i).includes('src') || args(i).includes('./src'))).toBe(false);
  });

  it('runs as an unprivileged user, with a health check on /api/health, listening on every interface', () => {
    const runtime = stages().at(-1)!;
    const users = runtime.instructions.filter((i) => i.getKeyword() === 'USER').map((i) => args(i)[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    const healthcheck = runtime.instructions.find((i) => i.getKeyword() === 'HEALTHCHECK');
    expect(healthcheck).toBeDefined();
    const command = args(healthcheck!).join(' ');
    expect(command).toContain('bin/healthcheck.js');
    expect(read('bin/healthcheck.js')).toContain('/api/health');
    const env = envOf(runtime.instructions);
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.CHROME_PATH).toBe('/usr/bin/chromium');
    expect(env.PUPPETEER_SKIP_DOWNLOAD).toBe('1');
    const entrypoint = runtime.instructions.find((i) => i.getKeyword() === 'ENTRYPOINT');
    expect(args(entrypoint!).join(' ')).toContain('bin/shirube.js');
  });

  it('puts Debian’s Chromium and the Noto CJK fonts in the runtime image', () => {
    const runs = stages()
      .at(-1)!
      .instructions.filter((i) => i.getKeyword() === 'RUN')
      .map((i) => args(i).join(' '))
      .join(' ');
    expect(runs).toMatch(/apt-get install[^&]*\bchromium\b/);
    expect(runs).toMatch(/apt-get install[^&]*\bfonts-noto-cjk\b/);
    expect(runs).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
  });

  it('holds no secret in ENV or ARG (a *_FILE names where one is read from)', () => {
    for (const instruction of instructions.filter((i) => ['ENV', 'ARG'].includes(i.getKeyword()))) {
      for (const pair of args(instruction)) {
        const [name] = pair.split('=');
        if (SECRET_NAME.test(name)) expect(name).toMatch(/_FILE$/);
      }
    }
  });

  it('copies only what exists and what .dockerignore lets through, and everything the runtime reads', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const required of ['.git', 'node_modules', 'data', 'secrets', 'backups', '*.key', '*.duckdb'])
      expect(ignored).toContain(required);
    const sources = instructions
      .filter((i) => i.getKeyword() === 'COPY' && fromStage(i) === undefined)
      .flatMap((i) => args(i).slice(0, -1));
    for (const source of sources) {
      expect({ source, exists: existsSync(join(root, source)) }).toEqual({ source, exists: true });
      expect({ source, ignored: ignored.includes(source.replace(/^\.\//, '')) }).toEqual({ source, ignored: false });
    }
    // projectRoot() looks for package.json and migrations/; the server reads SQL files, templates and the CLI.
    const copied = instructions.filter((i) => i.getKeyword() === 'COPY').flatMap((i) => args(i));
    for (const needed of [
      '/app/package.json',
      '/app/node_modules',
      'bin',
      'migrations/warehouse',
      'queries',
      'reports',
    ])
      expect(copied).toContain(needed);
  });
});

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: unknown;
  restart?: string;
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  secrets?: string[];
  volumes?: string[];
  ports?: string[];
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as {
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
    secrets: Record<string, { file: string }>;
  };
  const { postgres, shirube } = compose.services;

  it('runs PostgreSQL 16 or 17 and Shirube built from the Dockerfile, each restarted and health-checked', () => {
    expect(postgres.image).toMatch(/^postgres:1[67]([.-]|$)/);
    expect(shirube.build).toBe('.');
    // Nothing is installed or built at start.
    expect(JSON.stringify(shirube.command ?? '')).not.toMatch(/apt-get|npm (ci|install)|npm run build/);
    for (const [name, service] of Object.entries(compose.services)) {
      expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
      expect({ name, healthcheck: !!service.healthcheck?.test }).toEqual({ name, healthcheck: true });
    }
    expect(shirube.depends_on?.postgres?.condition).toBe('service_healthy');
  });

  it('keeps data in named volumes, never in a bind mount of the source', () => {
    for (const service of Object.values(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const [source, target, mode] = volume.split(':');
        // The one bind mount: PostgreSQL's first-start scripts (the application role), read-only.
        if (source === './docker/postgres-init') expect([target, mode]).toEqual(['/docker-entrypoint-initdb.d', 'ro']);
        else expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
    expect(shirube.volumes?.map((v) => v.split(':')[1])).toEqual(
      expect.arrayContaining(['/var/lib/shirube', '/var/backups/shirube']),
    );
  });

  it('reads every password and the pseudonym key from secret files, none written in the file', () => {
    for (const service of Object.values(compose.services)) {
      for (const [name, value] of Object.entries(service.environment ?? {})) {
        if (SECRET_NAME.test(name)) expect(name).toMatch(/_FILE$/);
        if (name.endsWith('_FILE') && SECRET_NAME.test(name)) expect(value).toMatch(/^\/run\/secrets\//);
        if (/^postgres(ql)?:\/\//.test(String(value))) expect(new URL(String(value)).password).toBe('');
      }
    }
    expect(postgres.environment?.POSTGRES_PASSWORD_FILE).toBe('/run/secrets/postgres_password');
    // Shirube serves as the application role and migrates as the owner (README, "Database roles").
    expect(shirube.environment?.DATABASE_PASSWORD_FILE).toBe('/run/secrets/shirube_app_password');
    expect(shirube.environment?.DATABASE_MIGRATION_PASSWORD_FILE).toBe('/run/secrets/postgres_password');
    expect(new URL(String(shirube.environment?.DATABASE_URL)).username).toBe('shirube_app');
    expect(shirube.environment?.PSEUDONYM_KEY_FILE).toBe('/run/secrets/pseudonym_key');
    expect(shirube.secrets).toEqual(
      expect.arrayContaining(['postgres_password', 'shirube_app_password', 'pseudonym_key']),
    );
    expect(read('docker/postgres-init/01-application-role.sh')).toContain('/run/secrets/shirube_app_password');
    for (const secret of Object.values(compose.secrets)) expect(secret.file).toMatch(/^\.\/secrets\//);
    expect(read('.gitignore').split('\n')).toContain('secrets/');
  });

  it('publishes Shirube on the loopback only (the TLS proxy is the way in), behind one trusted proxy', () => {
    for (const port of shirube.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    expect(shirube.environment?.SHIRUBE_TRUST_PROXY).toBe('1');
  });

  it('sets only variables the README documents', () => {
    const readme = read('README.md');
    for (const name of Object.keys(shirube.environment ?? {}))
      expect({ name, documented: readme.includes(`\`${name}\``) }).toEqual({ name, documented: true });
  });
});
