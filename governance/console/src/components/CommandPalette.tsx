import * as Dialog from '@radix-ui/react-dialog';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useGraphQL } from '../api/client';
import { hasRole } from '../auth/session';
import { useSession } from '../auth/session-context';

const SEARCH = `query ConsoleSearch($text: String!) {
  clients(first: 8, filter: { nameContains: $text }) { edges { node { id name tier } } }
  projects(first: 8, filter: { codeOrNameContains: $text }) { edges { node { id code name clientId } } }
}`;

interface SearchData {
  clients: { edges: { node: { id: string; name: string; tier: string } }[] } | null;
  projects: { edges: { node: { id: string; code: string; name: string; clientId: string } }[] } | null;
}

const RULES = `query ConsoleSearchRules { ownershipRules { entity owner fields { field owner } } }`;

interface RulesData {
  ownershipRules: { entity: string; owner: string; fields: { field: string; owner: string }[] }[];
}

/** Ownership rules and their field rules whose entity or `Entity.field` contains the term (case-insensitive). */
export function ruleHits(
  rules: RulesData['ownershipRules'],
  term: string,
  limit = 8,
): { entity: string; field: string | null; owner: string }[] {
  const needle = term.toLowerCase();
  const hits: { entity: string; field: string | null; owner: string }[] = [];
  for (const rule of rules) {
    if (rule.entity.toLowerCase().includes(needle)) {
      hits.push({ entity: rule.entity, field: null, owner: rule.owner });
    }
    for (const field of rule.fields) {
      if (`${rule.entity}.${field.field}`.toLowerCase().includes(needle)) {
        hits.push({ entity: rule.entity, field: field.field, owner: field.owner });
      }
    }
  }
  return hits.slice(0, limit);
}

interface Hit {
  key: string;
  kind: string;
  label: string;
  go: () => void;
}

/** Ctrl/Cmd+K: clients by name, projects by code or name, and for stewards ownership rules and fields; Enter opens, arrows move. */
export function CommandPalette({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        onOpenChange(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onOpenChange]);
  const term = text.trim();
  const search = useGraphQL<SearchData>(SEARCH, { text: term }, { enabled: open && term.length >= 2 });
  // data stewards also find ownership rules and fields (one read of the rules, then filtered here)
  const { session } = useSession();
  const rules = useGraphQL<RulesData>(RULES, undefined, { enabled: open && hasRole(session, 'data_steward'), staleTime: 60_000 });
  const close = () => {
    onOpenChange(false);
    setText('');
    setActive(0);
  };
  const hits: Hit[] = [
    ...(search.data?.data.clients?.edges ?? []).map(({ node }) => ({
      key: `client:${node.id}`,
      kind: 'Client',
      label: node.name,
      go: () => navigate({ to: '/clients/$clientId', params: { clientId: node.id } }),
    })),
    ...(search.data?.data.projects?.edges ?? []).map(({ node }) => ({
      key: `project:${node.id}`,
      kind: 'Project',
      label: `${node.code} · ${node.name}`,
      go: () => navigate({ to: '/clients/$clientId', params: { clientId: node.clientId }, hash: `project-${node.id}` }),
    })),
    ...(term.length >= 2 ? ruleHits(rules.data?.data.ownershipRules ?? [], term) : []).map((hit) => ({
      key: `rule:${hit.entity}.${hit.field ?? ''}`,
      kind: hit.field ? 'Field' : 'Rule',
      label: `${hit.field ? `${hit.entity}.${hit.field}` : hit.entity} → ${hit.owner}`,
      go: () => navigate({ to: '/stewards/ownership', search: { entity: hit.entity, ...(hit.field ? { field: hit.field } : {}) } }),
    })),
  ];
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((index) => Math.min(index + 1, hits.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((index) => Math.max(index - 1, 0));
    } else if (event.key === 'Enter' && hits[active]) {
      hits[active].go();
      close();
    }
  };
  return (
    <Dialog.Root open={open} onOpenChange={(next) => (next ? onOpenChange(true) : close())}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content className="palette" aria-describedby={undefined}>
          <Dialog.Title className="sr-only">Search</Dialog.Title>
          <input
            autoFocus
            className="palette-input"
            placeholder={
              hasRole(session, 'data_steward') ? 'Client, project, entity or Entity.field…' : 'Client name, project code or name…'
            }
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
            aria-label="Search"
          />
          <ul className="palette-hits" role="listbox" aria-label="Results">
            {term.length < 2 ? <li className="palette-hint">Type at least two characters</li> : null}
            {term.length >= 2 && search.isFetching && hits.length === 0 ? <li className="palette-hint">Searching…</li> : null}
            {term.length >= 2 && !search.isFetching && hits.length === 0 ? (
              <li className="palette-hint">Nothing matches “{term}”</li>
            ) : null}
            {hits.map((hit, index) => (
              <li
                key={hit.key}
                role="option"
                aria-selected={index === active}
                className={index === active ? 'palette-hit active' : 'palette-hit'}
                onMouseEnter={() => setActive(index)}
                onClick={() => {
                  hit.go();
                  close();
                }}
              >
                <span className="palette-kind">{hit.kind}</span> {hit.label}
              </li>
            ))}
          </ul>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
