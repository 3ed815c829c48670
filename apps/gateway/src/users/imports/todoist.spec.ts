import { todoistFixture, zipOf } from './__fixtures__/fixtures';
import { IMPORT_FILE_INVALID } from './imports.errors';
import { parseTodoist } from './todoist';
import { parseTodoistDate } from './todoist-dates';

/** Wednesday 2026-06-10, 08:00 UTC. */
const NOW = new Date('2026-06-10T08:00:00Z');
const HEADER = 'TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE';
const csv = (...rows: string[]) => new TextEncoder().encode([HEADER, ...rows].join('\n'));
const parse = (file: Uint8Array) => parseTodoist(file, NOW);

function expectInvalid(file: Uint8Array, message: string | RegExp): void {
  try {
    parse(file);
  } catch (error) {
    expect(error).toMatchObject({ code: IMPORT_FILE_INVALID });
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected an IMPORT_FILE_INVALID error');
}

describe(parseTodoist.name, () => {
  it('reads a Todoist project export: tasks, sections, subtasks, priorities, dates and repetitions', () => {
    const { notes, todos = [], skipped, warnings } = parse(todoistFixture());
    expect(notes).toEqual([]);
    expect(skipped).toBe(0);
    const createdAt = new Date('2026-06-10T00:00:00Z');
    expect(todos.map(({ sourceId, parentSourceId, ...todo }) => todo)).toEqual([
      { text: 'Renew passport', priority: 'high', dueDate: '2026-07-01', allDay: true, createdAt },
      {
        text: 'Water the plants @home',
        priority: 'medium',
        dueDate: '2026-06-15',
        allDay: true,
        recurrence: 'FREQ=WEEKLY;BYDAY=MO',
        createdAt,
      },
      {
        text: 'Buy milk, eggs and "good" bread',
        priority: 'high',
        dueDate: '2026-07-02T15:30:00.000Z',
        allDay: false,
        category: 'Errands',
        createdAt,
      },
      { text: 'Oat milk', priority: 'medium', allDay: false, category: 'Errands', createdAt },
      { text: 'Sourdough', priority: 'medium', allDay: false, category: 'Errands', createdAt },
      {
        text: 'Pay rent',
        priority: 'high',
        dueDate: '2026-07-01',
        allDay: true,
        recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1',
        category: 'Errands',
        createdAt,
      },
      { text: 'Call the landlord (next friday after work)', priority: 'high', allDay: false, category: 'Errands', createdAt },
    ]);
    expect(todos[3].parentSourceId).toBe(todos[2].sourceId);
    expect(todos[4].parentSourceId).toBe(todos[2].sourceId);
    expect(todos.filter((todo) => todo.parentSourceId)).toHaveLength(2);
    expect(new Set(todos.map((todo) => todo.sourceId)).size).toBe(7);
    expect(todos.every((todo) => /^todoist:[\w-]{32}$/.test(todo.sourceId))).toBe(true);
    expect(warnings).toEqual([
      'The file row 18: DATE “next friday after work” kept in the text (not a date or repetition MicroNote can keep)',
      '1 task description left out (a todo has no description)',
      '1 comment (note rows) left out',
    ]);
  });

  it('gives the same ids for the same file (the import is idempotent)', () => {
    expect(parse(todoistFixture()).todos).toEqual(parse(todoistFixture()).todos);
  });

  it('reads quoted commas, quotes and line breaks, a BOM, CRLF and LF alike', () => {
    const rows = ['task,"a, ""b""\r\nc",,4,1,,,,en,', 'task,plain,,4,1,,,,en,'];
    const crlf = new TextEncoder().encode(`\uFEFF${HEADER}\r\n${rows.join('\r\n')}\r\n`);
    const lf = new TextEncoder().encode(`${HEADER}\n${rows.join('\n')}`);
    expect(parse(crlf).todos?.map((todo) => todo.text)).toEqual(['a, "b" c', 'plain']);
    expect(parse(lf).todos?.map((todo) => todo.text)).toEqual(['a, "b" c', 'plain']);
  });

  it('reads the older export without DESCRIPTION and a file with semicolons', () => {
    const old = new TextEncoder().encode(
      'TYPE,CONTENT,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\ntask,Old one,1,1,,,2026-06-20,en,UTC',
    );
    expect(parse(old).todos).toEqual([expect.objectContaining({ text: 'Old one', priority: 'high', dueDate: '2026-06-20', allDay: true })]);
    const semicolons = new TextEncoder().encode('TYPE;CONTENT;PRIORITY;INDENT\ntask;Semi, colon;2;1');
    expect(parse(semicolons).todos).toEqual([expect.objectContaining({ text: 'Semi, colon', priority: 'high' })]);
  });

  it('maps PRIORITY 1..4 (p1 highest) and imports an unknown one as medium with a warning', () => {
    const { todos = [], warnings } = parse(
      csv('task,p1,,1,1', 'task,p2,,2,1', 'task,p3,,3,1', 'task,p4,,4,1', 'task,empty,,,1', 'task,odd,,7,1'),
    );
    expect(todos.map((todo) => todo.priority)).toEqual(['high', 'high', 'medium', 'medium', 'high', 'medium']);
    expect(warnings).toEqual(['The file row 7: PRIORITY “7” is not 1 to 4; imported as medium']);
  });

  it('nests deeper tasks under their top-level task, and a subtask without a task above at the top level', () => {
    const { todos = [], warnings } = parse(
      csv('task,orphan,,4,2', 'task,parent,,4,1', 'task,child,,4,2', 'task,grandchild,,4,3', 'section,S', 'task,after a section,,4,2'),
    );
    expect(todos.map((todo) => [todo.text, todos.find((t) => t.sourceId === todo.parentSourceId)?.text ?? null])).toEqual([
      ['orphan', null],
      ['parent', null],
      ['child', 'parent'],
      ['grandchild', 'parent'],
      ['after a section', null],
    ]);
    expect(warnings).toEqual([
      'The file row 2: a subtask without a task above it; imported as a top-level todo',
      'The file row 7: a subtask without a task above it; imported as a top-level todo',
      '1 sub-subtask (INDENT 3 or more) made subtasks of their top-level task (MicroNote nests one level)',
    ]);
  });

  it('keeps a repeating subtask’s DATE in its text (a subtask does not repeat)', () => {
    const { todos = [], warnings } = parse(csv('task,parent,,4,1', 'task,child,,4,2,,,every day,en,UTC'));
    expect(todos[1]).toMatchObject({ text: 'child (every day)', allDay: false });
    expect(todos[1].recurrence).toBeUndefined();
    expect(warnings).toEqual(['The file row 3: a subtask does not repeat; DATE “every day” kept in the text']);
  });

  it('leaves out rows of an unknown TYPE and tasks without CONTENT, counted as skipped', () => {
    const { todos = [], skipped, warnings } = parse(csv('project,whatever', 'task,,,4,1', 'task,kept,,4,1'));
    expect(todos.map((todo) => todo.text)).toEqual(['kept']);
    expect(skipped).toBe(2);
    expect(warnings).toHaveLength(2);
  });

  it('cuts long texts and section names to MicroNote’s limits', () => {
    const { todos = [], warnings } = parse(csv(`section,${'S'.repeat(40)}`, `task,${'t'.repeat(250)},,4,1`));
    expect(todos[0].text).toHaveLength(200);
    expect(todos[0].category).toBe('S'.repeat(30));
    expect(warnings).toEqual([expect.stringContaining('cut to 30 characters'), 'The file row 3: text cut to 200 characters']);
  });

  it('reads a zip of project CSVs (a Todoist backup): the project is the category when there is no section', () => {
    const zip = zipOf({
      'Work [2203306141].csv': [HEADER, 'task,Report,,1,1', 'section,Calls', 'task,Call Bob,,4,1'].join('\n'),
      'Home [2203306142].csv': [HEADER, 'task,Dishes,,4,1'].join('\n'),
      'readme.txt': 'not a csv',
    });
    const { todos = [], warnings } = parse(zip);
    expect(todos.map((todo) => [todo.text, todo.category])).toEqual([
      ['Report', 'Work'],
      ['Call Bob', 'Calls'],
      ['Dishes', 'Home'],
    ]);
    expect(todos[0].createdAt).toEqual(new Date('2024-06-01T12:00:00Z'));
    expect(warnings).toEqual(['1 file that is not CSV left out']);
  });

  it('leaves out a broken CSV of a zip with a warning, and refuses a zip whose every CSV is broken', () => {
    const { todos = [], warnings } = parse(zipOf({ 'a.csv': `${HEADER}\ntask,A,,4,1`, 'b.csv': 'name,notes\nx,y' }));
    expect(todos).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/^b\.csv: left out, b\.csv is not a Todoist CSV/)]);
    expectInvalid(zipOf({ 'b.csv': 'name,notes\nx,y' }), /b\.csv is not a Todoist CSV/);
    expectInvalid(zipOf({ 'x.md': '# no csv' }), 'The zip has no Todoist CSV files (.csv)');
  });

  it('a header-only file has no tasks', () => {
    expect(parse(csv())).toEqual({ notes: [], todos: [], skipped: 0, warnings: [] });
  });

  it.each([
    ['an empty file', new Uint8Array(0), 'The file is empty'],
    ['only blank lines', new TextEncoder().encode('\uFEFF\r\n\r\n'), 'The file is empty'],
    [
      'a CSV of another app',
      new TextEncoder().encode('Title,Due\nx,y'),
      'The file is not a Todoist CSV: its first line must be the header TYPE,CONTENT',
    ],
    ['binary content', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]), 'not a CSV file'],
    ['an open quote', new TextEncoder().encode(`${HEADER}\ntask,"never closed,,4,1`), 'a quoted field is never closed'],
    ['a broken zip', new TextEncoder().encode('PK\u0003\u0004 not really a zip at all, just text'), /zip/],
  ])('refuses %s with a 400 reason', (_, file, message) => {
    expectInvalid(file, message);
  });

  it('refuses a file of more than 50,000 rows', () => {
    expectInvalid(new TextEncoder().encode(`${HEADER}\n${'task,x,,4,1\n'.repeat(50_001)}`), 'more than 50,000 rows');
  });
});

describe(parseTodoistDate.name, () => {
  const berlin = { timeZone: 'Europe/Berlin', now: NOW };
  it.each([
    ['2026-06-20', { dueDate: '2026-06-20', allDay: true }],
    ['2026-06-20 09:15', { dueDate: '2026-06-20T07:15:00.000Z', allDay: false }],
    ['2026-12-20T09:15', { dueDate: '2026-12-20T08:15:00.000Z', allDay: false }],
    ['2026-06-20T09:15:00Z', { dueDate: '2026-06-20T09:15:00.000Z', allDay: false }],
    ['Jun 20 2026', { dueDate: '2026-06-20', allDay: true }],
    ['June 20, 2026 at 2pm', { dueDate: '2026-06-20T12:00:00.000Z', allDay: false }],
    ['20 Jun 2026', { dueDate: '2026-06-20', allDay: true }],
    ['Jun 1', { dueDate: '2027-06-01', allDay: true }],
    ['today', { dueDate: '2026-06-10', allDay: true }],
    ['Tomorrow 9am', { dueDate: '2026-06-11T07:00:00.000Z', allDay: false }],
    ['every day', { dueDate: '2026-06-10', allDay: true, recurrence: 'FREQ=DAILY' }],
    ['daily', { dueDate: '2026-06-10', allDay: true, recurrence: 'FREQ=DAILY' }],
    ['every 3 days', { dueDate: '2026-06-10', allDay: true, recurrence: 'FREQ=DAILY;INTERVAL=3' }],
    ['every week', { dueDate: '2026-06-10', allDay: true, recurrence: 'FREQ=WEEKLY' }],
    ['every other week', { dueDate: '2026-06-10', allDay: true, recurrence: 'FREQ=WEEKLY;INTERVAL=2' }],
    ['every monday', { dueDate: '2026-06-15', allDay: true, recurrence: 'FREQ=WEEKLY;BYDAY=MO' }],
    ['every! wed', { dueDate: '2026-06-10', allDay: true, recurrence: 'FREQ=WEEKLY;BYDAY=WE' }],
    [
      'every fri, mon and tuesday at 18:30',
      { dueDate: '2026-06-12T16:30:00.000Z', allDay: false, recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,FR' },
    ],
    ['every weekday', { dueDate: '2026-06-10', allDay: true, recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' }],
    ['every month', { dueDate: '2026-06-10', allDay: true, recurrence: 'FREQ=MONTHLY' }],
    ['every 15th', { dueDate: '2026-06-15', allDay: true, recurrence: 'FREQ=MONTHLY;BYMONTHDAY=15' }],
    ['every year', { dueDate: '2026-06-10', allDay: true, recurrence: 'FREQ=YEARLY' }],
  ])('%s', (raw, expected) => {
    expect(parseTodoistDate(raw, berlin)).toEqual(expected);
  });

  it.each([
    'next friday',
    'every last day',
    'every 3rd tue',
    'every day starting aug 1',
    'jeden Montag',
    '31/12/2026',
    '2026-02-30',
    'every 1000 days',
    'Jun 20 2026 25:00',
  ])('%s → null (kept as text)', (raw) => {
    expect(parseTodoistDate(raw, berlin)).toBeNull();
  });
});
