import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './locales';
import './lib/time';
import './styles.css';
import { App } from './app/App';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
