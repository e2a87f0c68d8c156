import { useEffect, useRef } from 'react';
import { entityNameOf, formKeys } from './formValues';

/**
 * Offers the chosen service's name as a field's value once, while the field is empty and
 * the user has not typed in it (the usual ServiceAccount and role name); returns the hook
 * to call when the user types, so an emptied field stays empty.
 */
export function useOfferEntityName(props: {
  formData?: string;
  onChange: (value: string | undefined) => void;
  uiSchema?: unknown;
  formContext?: { formData?: unknown };
}): () => void {
  const { formData, onChange, uiSchema } = props;
  const keys = formKeys(uiSchema);
  const entityRef = (
    props.formContext?.formData as Record<string, unknown> | undefined
  )?.[keys.entity];
  const offered = useRef(false);
  useEffect(() => {
    if (offered.current || formData || typeof entityRef !== 'string') return;
    offered.current = true;
    const name = entityNameOf(entityRef);
    if (name) onChange(name);
  }, [formData, entityRef, onChange]);
  return () => {
    offered.current = true;
  };
}
