/** Hostile inputs shared by tests of different loaders. */

/** "Billion laughs": 12 levels of 9 aliases each, under 500 bytes, 9^12 values when expanded. */
export function yamlAliasBomb(): string {
  const names = 'abcdefghijkl';
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`);
  return lines.join('\n') + '\n';
}
