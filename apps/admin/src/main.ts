import './global.css';
import './console-app.js';
import { interceptLinks } from './router.js';

interceptLinks();
