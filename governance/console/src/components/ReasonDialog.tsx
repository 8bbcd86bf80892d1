import * as Dialog from '@radix-ui/react-dialog';
import { useState, type FormEvent, type ReactNode } from 'react';

/** A confirmation that needs a reason (it goes to the audit ledger); `error` is the last attempt's failure. */
export function ReasonDialog({
  title,
  description,
  action,
  label = 'Reason',
  pending,
  error,
  onSubmit,
  onClose,
}: {
  title: string;
  description: ReactNode;
  action: string;
  label?: string;
  pending: boolean;
  error: Error | null;
  onSubmit: (text: string) => void;
  onClose: () => void;
}) {
  const [text, setText] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(text.trim());
  };
  return (
    <Dialog.Root open onOpenChange={(open) => (open ? undefined : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>{title}</Dialog.Title>
          <Dialog.Description className="muted">{description}</Dialog.Description>
          <form onSubmit={submit} className="form steward-dialog-form">
            <label className="field">
              <span>{label}</span>
              <textarea value={text} onChange={(event) => setText(event.target.value)} rows={3} required />
            </label>
            {error ? (
              <p className="notice notice-error" role="alert">
                {error.message}
              </p>
            ) : null}
            <div className="dialog-actions">
              <button type="button" className="button button-quiet" onClick={onClose}>
                Cancel
              </button>
              <button type="submit" className="button button-primary" disabled={!text.trim() || pending}>
                {action}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
