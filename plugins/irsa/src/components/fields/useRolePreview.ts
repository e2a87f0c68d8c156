import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  irsaApiRef,
  type IrsaRolePreviewResult,
  type IrsaRoleRequest,
} from '../../api';
import { previewOnce } from './formValues';

/** How long typing must pause before the preview is asked again. */
export const PREVIEW_DEBOUNCE_MS = 300;

/** `value`, once it has stayed the same for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The backend's preview of the request the form holds, asked when typing pauses: the
 * final role name, ARN, trust subject and every problem the actions would refuse.
 */
export function useRolePreview(request: IrsaRoleRequest | undefined): {
  preview?: IrsaRolePreviewResult;
  /** Typing has not paused yet, or the answer is on its way: what is shown may be old. */
  pending: boolean;
  error?: Error;
} {
  const api = useApi(irsaApiRef);
  // Compared by content: the form hands a new object on every render.
  const current = request ? JSON.stringify(request) : '';
  const key = useDebounced(current, PREVIEW_DEBOUNCE_MS);
  const state = useAsync(
    async () => (key ? previewOnce(api, JSON.parse(key)) : undefined),
    [api, key],
  );
  return {
    preview: state.value,
    pending: state.loading || key !== current,
    error: state.error,
  };
}
