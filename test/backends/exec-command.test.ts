import { describe, expect, it } from 'vitest';
import { parseCommand, splitWords } from '../../builtin/databases/exec/command-line.js';

describe('exec command line', () => {
  it('splits a string into words like a shell, without expanding anything', () => {
    expect(splitWords(`cat  '/etc/my file' "a \\"b\\" \\$HOME" c\\ d`)).toEqual(['cat', '/etc/my file', 'a "b" $HOME', 'c d']);
    expect(splitWords(`printf ''`)).toEqual(['printf', '']);
  });

  it('refuses shell syntax without shell = true, with a hint', () => {
    expect(() => parseCommand('cat x | jq .', false)).toThrow(/"\|" needs a shell: set shell = true, or quote it/);
    expect(() => parseCommand('echo $HOME', false)).toThrow(/"\$" needs a shell/);
    expect(() => parseCommand(`echo 'open`, false)).toThrow(/missing closing '/);
  });

  it('runs the string through /bin/sh -c with shell = true', () => {
    expect(parseCommand('cat x | jq .', true)).toEqual({ argv: ['/bin/sh', '-c', 'cat x | jq .'], label: 'cat x | jq .' });
  });

  it('takes a JSON array as argv, and refuses it with shell = true', () => {
    expect(parseCommand('["/bin/echo", "a b", "$x"]', false)).toEqual({ argv: ['/bin/echo', 'a b', '$x'], label: `/bin/echo 'a b' '$x'` });
    expect(() => parseCommand('["echo"]', true)).toThrow(/shell = true needs command as one string/);
    expect(() => parseCommand('[]', false)).toThrow(/the array is empty/);
    // Only looks like an array: a string command.
    expect(parseCommand('[ -f /x ]', false).argv).toEqual(['[', '-f', '/x', ']']);
  });

  it('needs a command', () => {
    expect(() => parseCommand('  ', false)).toThrow(/the exec backend needs a command/);
  });
});
