import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadConfig } from './config';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
loadConfig()
  .then((config) => root.render(<App config={config} />))
  .catch((error: Error) =>
    root.render(
      <div className="state state-error" role="alert">
        <p className="state-title">The console could not start</p>
        <p className="state-hint">{error.message}</p>
      </div>,
    ),
  );
