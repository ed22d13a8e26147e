// The main window: a tab bar over six views. Only the visible view refetches on `baton:changed`; the
// others are marked stale and refetch when shown, so a change costs one IPC call, not six.

import { h, mount } from './dom';
import { locale, onChanged, onNavigate, type Route } from './ipc';
import { loadHabits } from './time';
import { createCalendarView } from './views/calendar';
import { createEditorView } from './views/editor';
import { createFocusView } from './views/focus';
import { createHandoffsView } from './views/handoffs';
import { createInboxView } from './views/inbox';
import { createSettingsView } from './views/settings';
import { createWeekView } from './views/week';
import type { View } from './view';

const TABS: { route: Route; label: string }[] = [
  { route: 'calendar', label: 'Calendar' },
  { route: 'editor', label: 'Team' },
  { route: 'handoffs', label: 'Handoffs' },
  { route: 'focus', label: 'Focus' },
  { route: 'week', label: 'Week' },
  { route: 'inbox', label: 'Inbox' },
  { route: 'settings', label: 'Settings' },
];

/** Builds the main window into `root` and starts listening to the shell. */
export async function startApp(root: HTMLElement, initial: Route = 'calendar'): Promise<{ show(route: Route): void }> {
  await loadHabits(locale);
  const ctx = { navigate: (route: Route) => show(route) };
  const views: Record<Route, View> = {
    calendar: createCalendarView(ctx),
    editor: createEditorView(),
    handoffs: createHandoffsView(),
    focus: createFocusView(),
    week: createWeekView(),
    inbox: createInboxView(),
    settings: createSettingsView(),
  };
  const loaded = new Set<Route>();
  let current: Route | null = null;

  const tabs = TABS.map(({ route, label }) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `tab-${route}`,
        class: 'tab',
        'aria-controls': `panel-${route}`,
        'data-testid': `nav-${route}`,
        'aria-keyshortcuts': `Control+${TABS.findIndex((t) => t.route === route) + 1}`,
        onClick: () => show(route),
      },
      label,
    ),
  );
  const panels = TABS.map(({ route }) =>
    h('div', { role: 'tabpanel', id: `panel-${route}`, class: 'panel', 'aria-labelledby': `tab-${route}`, hidden: true }, views[route].el),
  );
  const tablist = h(
    'div',
    {
      role: 'tablist',
      class: 'tabs',
      'aria-label': 'Views',
      onKeydown: (e) => {
        const i = tabs.findIndex((t) => t === document.activeElement);
        if (i < 0) return;
        const moves: Record<string, number> = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 };
        const to = moves[e.key];
        if (to === undefined) return;
        e.preventDefault();
        const tab = TABS[(to + tabs.length) % tabs.length];
        if (tab) {
          show(tab.route);
          document.getElementById(`tab-${tab.route}`)?.focus();
        }
      },
    },
    tabs,
  );

  mount(
    root,
    h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
    h('nav', { class: 'topbar', 'aria-label': 'Baton' }, h('div', { class: 'brand', 'aria-hidden': 'true' }, h('span', { class: 'brand-mark' }), 'Baton'), tablist),
    h('main', { id: 'main', class: 'content', tabindex: -1 }, panels),
  );

  function show(route: Route): void {
    if (route === current) return;
    if (current) views[current].setVisible(false);
    current = route;
    TABS.forEach(({ route: r }, i) => {
      const selected = r === route;
      const tab = tabs[i];
      const panel = panels[i];
      if (!tab || !panel) return;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      panel.hidden = !selected;
    });
    views[route].setVisible(true);
    if (!loaded.has(route)) {
      loaded.add(route);
      void views[route].refresh();
    }
  }

  document.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    const tab = TABS[Number(e.key) - 1];
    if (tab) {
      e.preventDefault();
      show(tab.route);
    }
  });

  show(initial);
  await Promise.all([
    onChanged(() => {
      // Refetch what is on screen; everything else refetches when next shown.
      for (const r of loaded) if (r !== current) loaded.delete(r);
      if (current) void views[current].refresh();
    }),
    onNavigate((route) => show(route)),
  ]);
  return { show };
}
