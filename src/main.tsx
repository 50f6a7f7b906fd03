import './security/zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './ui/styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
// Hosts that cannot send frame-ancestors / X-Frame-Options (static hosts) still must not let another site run
// the benchmark unseen inside a frame: a framed page shows only a link to open it on its own.
const framed = window.top !== window.self;
createRoot(root).render(
  <StrictMode>
    {framed ? (
      <main data-testid="framed">
        <h1>ttft-bench</h1>
        <p>
          This page is shown inside another site&apos;s frame, so it does nothing here.{' '}
          <a href={window.location.href} target="_blank" rel="noopener noreferrer">
            Open ttft-bench on its own
          </a>
          .
        </p>
      </main>
    ) : (
      <App />
    )}
  </StrictMode>,
);
