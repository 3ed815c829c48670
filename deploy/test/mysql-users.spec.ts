import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { createConnection } from 'mysql2/promise';

import { ROOT, which } from './support';

/**
 * deploy/k8s/base/mysql/create-users.sh (compose: MariaDB's first start; k8s: the mysql-users Job) run for real
 * against the test MariaDB (MYSQL_URL, default root@127.0.0.1:3306) with a DB_SUFFIX of its own: each user may
 * create and use its own database and nothing else. Skipped (with a warning) without a MariaDB or its client.
 */
const MYSQL_URL = process.env['MYSQL_URL'] || 'mysql://root@127.0.0.1:3306';
const client = which('mariadb', ['/usr/bin/mariadb']);
const suffix = `_dt${randomBytes(3).toString('hex')}`;
const passwords = {
  notes: randomBytes(32).toString('hex'),
  todos: randomBytes(32).toString('hex'),
  users: randomBytes(32).toString('hex'),
};
const admin = new URL(MYSQL_URL);

async function reachable(): Promise<boolean> {
  try {
    const connection = await createConnection({ uri: MYSQL_URL, connectTimeout: 2_000 });
    await connection.end();
    return Boolean(client);
  } catch {
    return false;
  }
}

function runScript(extra: Record<string, string> = {}): void {
  execFileSync('sh', [join(ROOT, 'deploy/k8s/base/mysql/create-users.sh')], {
    stdio: 'pipe',
    env: {
      PATH: process.env['PATH'] ?? '',
      DB_SUFFIX: suffix,
      MYSQL_ADMIN_HOST: `${admin.hostname}:${admin.port || 3306}`,
      MYSQL_ADMIN_USER: decodeURIComponent(admin.username || 'root'),
      MYSQL_ADMIN_PASSWORD: decodeURIComponent(admin.password),
      NOTES_MYSQL_PASSWORD: passwords.notes,
      TODOS_MYSQL_PASSWORD: passwords.todos,
      USERS_MYSQL_PASSWORD: passwords.users,
      ...extra,
    },
  });
}

const as = (service: keyof typeof passwords) =>
  createConnection({
    host: admin.hostname,
    port: Number(admin.port || 3306),
    user: `micronote_${service}${suffix}`,
    password: passwords[service],
  });

describe('deploy/k8s/base/mysql/create-users.sh against MariaDB', () => {
  let available = false;

  beforeAll(async () => {
    available = await reachable();
    if (!available) console.warn(`no MariaDB at ${admin.host} or no mariadb client: skipping the create-users.sh checks`);
  });

  afterAll(async () => {
    if (!available) return;
    const connection = await createConnection({ uri: MYSQL_URL });
    for (const service of Object.keys(passwords)) {
      await connection.query(`DROP USER IF EXISTS 'micronote_${service}${suffix}'@'%'`);
      await connection.query(`DROP DATABASE IF EXISTS \`micronote_${service}${suffix}\``);
    }
    await connection.query(`DROP DATABASE IF EXISTS \`micronoteXnotes${suffix}\``);
    await connection.end();
  });

  it('gives each service a user that creates and uses its own database, and nothing else', async () => {
    if (!available) return;
    runScript();
    runScript(); // idempotent (how a password is rotated)
    const notes = await as('notes');
    try {
      await notes.query(`CREATE DATABASE IF NOT EXISTS \`micronote_notes${suffix}\``);
      await notes.query(`CREATE TABLE \`micronote_notes${suffix}\`.t (id INT PRIMARY KEY)`);
      await notes.query(`INSERT INTO \`micronote_notes${suffix}\`.t VALUES (1)`);
      // Another service's database, a name the unescaped `_` wildcard would match, and server-wide rights.
      await expect(notes.query(`CREATE DATABASE IF NOT EXISTS \`micronote_todos${suffix}\``)).rejects.toThrow(/denied/);
      await expect(notes.query(`CREATE DATABASE IF NOT EXISTS \`micronoteXnotes${suffix}\``)).rejects.toThrow(/denied/);
      await expect(notes.query('SELECT * FROM mysql.user')).rejects.toThrow(/denied/);
      await expect(notes.query(`CREATE USER 'x${suffix}'@'%'`)).rejects.toThrow(/denied/);
    } finally {
      await notes.end();
    }
    const todos = await as('todos');
    try {
      await todos.query(`CREATE DATABASE IF NOT EXISTS \`micronote_todos${suffix}\``);
      await expect(todos.query(`SELECT * FROM \`micronote_notes${suffix}\`.t`)).rejects.toThrow(/denied/);
    } finally {
      await todos.end();
    }
  });

  it('refuses short or unsafe passwords before touching MySQL', () => {
    if (!available) return;
    expect(() => runScript({ NOTES_MYSQL_PASSWORD: 'short' })).toThrow(/NOTES_MYSQL_PASSWORD must be set to 32\+ characters/);
    expect(() => runScript({ TODOS_MYSQL_PASSWORD: `${'a'.repeat(32)}'; DROP USER root; --` })).toThrow(/TODOS_MYSQL_PASSWORD must be/);
  });
});
