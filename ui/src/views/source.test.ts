// The followed source's banner text, problem lines and "Which one is you?", drawn from the core's view.

import { describe, expect, it } from 'vitest';
import { brokenFolder, localSource } from '../test/fixtures';
import { problemText, sourceErrorBanner, sourceLine, sourceName, whoAreYou } from './source';

const noop = { sync: () => undefined, unfollow: () => undefined };

describe('source banner', () => {
  it('names the source and each problem with its file, line, member and field', () => {
    expect(sourceName(brokenFolder)).toBe('the shared folder /home/sam/team');
    expect(sourceName({ ...brokenFolder, kind: 'url', location: 'https://example.com/team.toml' })).toBe('https://example.com/team.toml');
    expect(problemText(brokenFolder.problems[0]!)).toBe("members/kenji.toml line 4, Kenji, hours[0]: 'mon-fri 9-17' is not a time span; use HH:MM-HH:MM");
    expect(problemText({ file: 'team.toml', line: null, member: null, field: 'name', message: 'is required' })).toBe('team.toml, name: is required');
  });

  it('shows nothing for a local team or a good check, and the quiet line only for a followed one', () => {
    expect(sourceErrorBanner(localSource, noop)).toBeNull();
    expect(sourceErrorBanner({ ...brokenFolder, error: null, problems: [] }, noop)).toBeNull();
    expect(sourceLine(localSource, noop)).toBeNull();
    expect(sourceLine(brokenFolder, noop)?.textContent).toContain('version 3f2a9c0d11be');
  });

  it('offers one button per member', () => {
    const picked: string[] = [];
    const el = whoAreYou(['Ana', 'Kenji'], (n) => picked.push(n));
    el.querySelector<HTMLButtonElement>('[data-member="Kenji"]')!.click();
    expect(picked).toEqual(['Kenji']);
  });
});
