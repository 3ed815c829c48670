// Console helpers shared by the dev scripts: colors (only on a TTY), headers, durations, and the
// `Fail` error for expected failures (printed as a plain message, without a stack trace).

const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

const paint = (code) => (text) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : String(text));

export const color = {
  bold: paint('1'),
  dim: paint('2'),
  red: paint('31'),
  green: paint('32'),
  yellow: paint('33'),
  blue: paint('34'),
  magenta: paint('35'),
  cyan: paint('36'),
};

/** Colors given to child processes' name prefixes, in turn. */
export const PREFIX_COLORS = [color.cyan, color.magenta, color.yellow, color.blue, color.green];

/** An expected failure: the message says everything; no stack trace is printed. */
export class Fail extends Error {
  name = 'Fail';
}

/** Message of an error for the user: the plain message for a `Fail`, the stack otherwise. */
export function describeError(error) {
  if (error instanceof Fail) return error.message;
  return error?.stack ?? String(error);
}

export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

export const stripAnsi = (text) => text.replace(ANSI, '');

export const info = (message) => console.log(message);
export const note = (message) => console.log(color.dim(message));
export const warn = (message) => console.error(color.yellow(message));
export const error = (message) => console.error(color.red(message));
