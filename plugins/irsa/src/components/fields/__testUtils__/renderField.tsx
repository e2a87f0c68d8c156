import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { type ComponentType, useState } from 'react';
import { type IrsaApi, irsaApiRef } from '../../../api';

export const ENTITY_REF = 'component:default/payments-api';

export const paymentsEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-namespace': 'payments' },
  },
  spec: { owner: 'team-payments', type: 'service', lifecycle: 'production' },
};

/**
 * Renders one field as the scaffolder does: its own value held by the form, the rest of
 * the form's data in `formContext.formData` (with the field's value under `key`).
 */
export async function renderField<T>(
  Field: ComponentType<any>,
  options: {
    api: Partial<IrsaApi>;
    key: string;
    formData?: T;
    form?: Record<string, unknown>;
    title?: string;
    uiSchema?: object;
    rawErrors?: string[];
    entities?: Entity[];
  },
): Promise<{ container: HTMLElement; onChange: jest.Mock }> {
  const onChange = jest.fn();
  function Harness() {
    const [value, setValue] = useState<T | undefined>(options.formData);
    return (
      <Field
        formData={value}
        onChange={(v: T | undefined) => {
          onChange(v);
          setValue(v);
        }}
        schema={{ title: options.title }}
        uiSchema={options.uiSchema ?? {}}
        formContext={{ formData: { ...options.form, [options.key]: value } }}
        rawErrors={options.rawErrors ?? []}
        idSchema={{ $id: `root_${options.key}` }}
        required={false}
        disabled={false}
        readonly={false}
      />
    );
  }
  const result = await renderInTestApp(
    <TestApiProvider
      apis={[
        [irsaApiRef, options.api],
        [
          catalogApiRef,
          catalogApiMock({ entities: options.entities ?? [paymentsEntity] }),
        ],
      ]}
    >
      <Harness />
    </TestApiProvider>,
  );
  return { container: result.container, onChange };
}

/** Runs a field's validation as the scaffolder does on Review; the errors it adds. */
export async function validate<T>(
  validation: (v: T, field: any, context: any) => void | Promise<void>,
  value: T,
  api: Partial<IrsaApi>,
  formData: Record<string, unknown>,
  uiSchema: object = {},
): Promise<string[]> {
  const errors: string[] = [];
  await validation(
    value,
    { addError: (m: string) => errors.push(m) },
    {
      apiHolder: {
        get: (ref: { id: string }) =>
          ref.id === irsaApiRef.id ? api : undefined,
      },
      formData,
      schema: {},
      uiSchema,
    },
  );
  return errors;
}
