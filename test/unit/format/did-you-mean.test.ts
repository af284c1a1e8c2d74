import { likely, meantAs, nearest } from '../../../harness/format/did-you-mean.js';

// One rule for "did you mean" wherever a name is unknown (--scenario, a scenario argument, a profile, a flag).

test('nearest: a slip of at most 2 edits, or a third of the word', () => {
  expect(nearest('ofline', ['offline', 'ci'])).toBe('offline');
  expect(nearest('zzz', ['offline', 'ci'])).toBeUndefined();
});

test('likely: the slip first, then the names that hold the word or that it holds, at most three', () => {
  expect(likely('api-api', ['api', 'web'])).toEqual(['api']);
  expect(likely('helo', ['hello', 'helo-worker', 'web'])).toEqual(['hello', 'helo-worker']);
});

test('meantAs: the guesses for one unknown name and the text that follows the message; none for several', () => {
  expect(meantAs(['helo'], ['hello', 'world'])).toEqual({ guess: ['hello'], text: '; did you mean hello?' });
  expect(meantAs(['api'], ['api-a', 'api-b'])).toEqual({ guess: ['api-a', 'api-b'], text: '; did you mean api-a or api-b?' });
  expect(meantAs(['helo', 'wrld'], ['hello', 'world'])).toEqual({ guess: [], text: '' });
  expect(meantAs(['zzz'], ['hello'])).toEqual({ guess: [], text: '' });
});
