import { afterEach, describe, expect, it } from 'vitest';
import { byTestId, cleanup, container, mockBackend, settle } from '../test/helpers';
import { handoffsView } from '../test/fixtures';
import { createHandoffsView } from './handoffs';

async function mountHandoffs(view = handoffsView) {
  const calls = mockBackend({ handoffs: () => view });
  const handoffs = createHandoffsView();
  container().appendChild(handoffs.el);
  await handoffs.refresh();
  await settle();
  return calls;
}

afterEach(cleanup);

describe('handoffs view', () => {
  it('asks for seven days', async () => {
    const calls = await mountHandoffs();
    expect(calls).toEqual([{ cmd: 'handoffs', args: { days: 7 } }]);
  });

  it('shows a live handoff in both people’s local time', async () => {
    await mountHandoffs();
    const [sync, written] = Array.from(byTestId('my-handoffs').querySelectorAll<HTMLElement>('[data-testid="handoff"]'));
    expect(sync?.querySelector('.pill')?.textContent).toBe('Sync · live');
    expect(sync?.querySelector('.side-from')?.textContent).toMatch(/Ana · Sao Paulo.*17:00–18:30/);
    expect(sync?.querySelector('.side-to')?.textContent).toMatch(/Marcus · Los Angeles.*13:00–14:30/);
    expect(sync?.textContent).toContain('1 h 30 min together');

    expect(written?.querySelector('.pill')?.textContent).toBe('Async · written');
    expect(written?.querySelector('.side-from')?.textContent).toMatch(/hands over at \S+ 17:30/);
    expect(written?.querySelector('.side-to')?.textContent).toMatch(/picks up at \S+ 07:00/);
    expect(written?.textContent).toContain('baton waits 2 d 18 h');
  });

  it('shows the relay order, passes, gaps in my zone and coverage', async () => {
    await mountHandoffs();
    const order = document.querySelector('.relay-order');
    expect(Array.from(order?.querySelectorAll('li:not(.relay-wrap):not(.relay-arrow)') ?? []).map((li) => li.textContent)).toEqual([
      'Kenji',
      'Lena',
      'Ana',
      'Marcus',
    ]);
    const relay = byTestId('relay').querySelector('[data-testid="handoff"]');
    // 14:00–16:00Z: 15:00–17:00 in Berlin (CET), 11:00–13:00 in São Paulo.
    expect(relay?.querySelector('.side-from')?.textContent).toContain('15:00–17:00');
    expect(relay?.querySelector('.side-to')?.textContent).toContain('11:00–13:00');
    expect(byTestId('gaps').textContent).toMatch(/02:00–06:00.*4 h/);
    expect(document.querySelector('.coverage-text')?.textContent).toBe('141.5 h of 168 h covered per week');
  });

  it('lists the coming weeks’ coverage gaps in my zone with who is missing', async () => {
    await mountHandoffs();
    const items = Array.from(byTestId('forecast').querySelectorAll('li'), (li) => li.textContent);
    // 02:00–09:00Z is 23:00–06:00 in São Paulo (UTC−3), starting the evening before.
    expect(items).toHaveLength(1);
    expect(items[0]).toMatch(/23:00.*06:00/);
    expect(items[0]).toContain('nobody works: Kenji on a day off; Lena on holiday (Christmas Eve)');
  });

  it('says so when the coming weeks have no unusual gaps', async () => {
    await mountHandoffs({ ...handoffsView, forecast: [] });
    expect(document.body.textContent).toContain('No gaps beyond a normal week in the next 8 weeks.');
  });

  it('explains when there is no me', async () => {
    await mountHandoffs({ ...handoffsView, me: null, next: null, mine: [] });
    expect(document.querySelector('.card')?.textContent).toContain('does not say which member you are');
  });
});
