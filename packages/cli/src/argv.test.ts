import { describe, expect, it } from 'vitest';
import { parseArgs } from './argv.ts';

const specs = [
  { key: 'workers', flag: '--workers', short: '-w', value: '<n>' },
  { key: 'watch', flag: '--watch' },
  { key: 'envFile', flag: '--env-file', value: '<path>', repeatable: true },
];

const codeOf = (argv: string[]) => {
  try {
    parseArgs(argv, specs, 'run');
  } catch (error) {
    return (error as { code: string; hint?: string }).code;
  }
  return undefined;
};

describe('parseArgs', () => {
  it('takes --flag value, --flag=value, -f value, switches, and leaves what follows -- alone', () => {
    const parsed = parseArgs(
      ['app.js', '-w', '4', '--watch', '--env-file=a', '--env-file', 'b', '--', '--workers', 'x'],
      specs,
      'run',
    );
    expect(parsed.positionals).toEqual(['app.js']);
    expect(parsed.flags.get('workers')).toBe('4');
    expect(parsed.flags.get('watch')).toBe(true);
    expect(parsed.flags.get('envFile')).toEqual(['a', 'b']);
    expect(parsed.rest).toEqual(['--workers', 'x']);
    expect(parsed.given.get('workers')).toBe('-w');
  });

  it('sees -h and --help anywhere', () => {
    expect(parseArgs(['app.js', '--help'], specs, 'run').help).toBe(true);
    expect(parseArgs(['-h'], specs, 'run').help).toBe(true);
  });

  it('names the closest flag for a misspelled one, and says where app arguments go', () => {
    try {
      parseArgs(['app.js', '--wokers', '2'], specs, 'run');
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('ERR_CLUSTER_UNKNOWN_OPTION');
      expect((error as { hint: string }).hint).toContain('--workers');
    }
    try {
      parseArgs(['app.js', '--port', '2'], specs, 'run');
      expect.unreachable();
    } catch (error) {
      expect((error as { hint: string }).hint).toContain("go after '--'");
    }
  });

  it('refuses a value-taking flag without its value', () => {
    expect(codeOf(['--workers'])).toBe('ERR_CLUSTER_MISSING_ARGUMENT');
    expect(codeOf(['--workers', '--watch'])).toBe('ERR_CLUSTER_MISSING_ARGUMENT');
    expect(codeOf(['--workers', '--'])).toBe('ERR_CLUSTER_MISSING_ARGUMENT');
  });
});
