// Entry point of the main window (index.html).

import './styles/base.css';
import './styles/app.css';
import { startApp } from './app';

const ROUTES = ['calendar', 'editor', 'handoffs', 'focus'] as const;
type Start = (typeof ROUTES)[number];

// `index.html#focus` opens on that view (handy for the shell and for looking at one view in a browser).
const hash = location.hash.slice(1);
const initial: Start = (ROUTES as readonly string[]).includes(hash) ? (hash as Start) : 'calendar';

const root = document.getElementById('app');
// Let the static skeleton in index.html reach the screen first, then build the live app over it.
if (root) requestAnimationFrame(() => setTimeout(() => void startApp(root, initial)));
