// Entry point of the overlay window (overlay.html).

import './styles/base.css';
import './styles/overlay.css';
import { startOverlay } from './overlay-app';

const root = document.getElementById('overlay');
if (root) startOverlay(root);
