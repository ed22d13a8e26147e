// Entry point of the main window (index.html).

import './styles/base.css';
import './styles/app.css';
import { startApp } from './app';
import { isRoute } from './ipc';

// `index.html#focus` opens on that view (handy for the shell and for looking at one view in a browser).
const hash = location.hash.slice(1);
const initial = isRoute(hash) ? hash : 'calendar';

const root = document.getElementById('app');
// Let the static skeleton in index.html reach the screen first, then build the live app over it.
if (root) requestAnimationFrame(() => setTimeout(() => void startApp(root, initial)));
