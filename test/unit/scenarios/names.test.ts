import { idFromValue, imageRefPart, nameProblem, nameProblems } from '../../../harness/scenarios/names.js';

test.each([
  ['go-app', undefined],
  ['node_app', undefined],
  ['a__b', undefined],
  ['a--b', undefined],
  ['v1.2', undefined],
  ['Go-App', undefined],
  ['x'.repeat(128), undefined],
  ['café', 'has "é": use only letters a-z, digits, ".", "_" and "-"'],
  ['go app', 'has a space: use only letters a-z, digits, ".", "_" and "-"'],
  ['go|app', 'has "|": use only letters a-z, digits, ".", "_" and "-"'],
  ['go-', 'must start and end with a letter or digit, with ".", "_", "__" or "-" only between them (no "..", "_-" or "___")'],
  ['-go', 'must start and end with a letter or digit, with ".", "_", "__" or "-" only between them (no "..", "_-" or "___")'],
  ['a..b', 'must start and end with a letter or digit, with ".", "_", "__" or "-" only between them (no "..", "_-" or "___")'],
  ['a___b', 'must start and end with a letter or digit, with ".", "_", "__" or "-" only between them (no "..", "_-" or "___")'],
  ['a_-b', 'must start and end with a letter or digit, with ".", "_", "__" or "-" only between them (no "..", "_-" or "___")'],
  ['x'.repeat(129), 'is 129 characters long; the limit is 128'],
  ['', 'is empty'],
])('name %j', (name, problem) => expect(nameProblem(name)).toBe(problem));

test('image reference part is the lower-cased name', () => {
  expect(imageRefPart('Go-App')).toBe('go-app');
});

test('a set of names: each bad one and each lower-case collision, naming where they come from', () => {
  expect(
    nameProblems([
      { name: 'Upper', where: 'folder s/Upper' },
      { name: 'upper', where: 'folder s/upper' },
      { name: 'go app', where: 'folder s/go app' },
      { name: 'go|app', where: 'scenarios.go|app' },
      { name: 'Go-App', where: 'scenarios.Go-App' },
      { name: 'ok', where: 'folder s/ok' },
    ]),
  ).toEqual([
    'folder s/go app: the name "go app" has a space: use only letters a-z, digits, ".", "_" and "-"',
    'scenarios.go|app: the name "go|app" has "|": use only letters a-z, digits, ".", "_" and "-"',
    'folder s/Upper and folder s/upper: the names "Upper", "upper" are the same image name "upper" once lower-cased: rename all but one',
  ]);
  // Alone, Go-App is fine: its image is stagebench/go-app, and nothing else claims that name.
  expect(nameProblems([{ name: 'Go-App', where: 'x' }])).toEqual([]);
});

test.each([
  ['node:20', 'node-20'],
  ['node:20-slim', 'node-20-slim'],
  ['registry.local:5000/team/img@sha256', 'registry-local-5000-team-img-sha256'],
  ['--x--', 'x'],
  [':::', ''],
])('matrix value %j gives id part %j', (value, id) => expect(idFromValue(value)).toBe(id));
