import { Problem, quote } from '../problems';
import { parsePolicyDocument } from '../trustPolicy/parsePolicyDocument';

/**
 * Statements of an identity policy that `Allow` Action `"*"` on Resource `"*"` — full
 * administrator access — each as a problem naming the guardrail that would allow it
 * (`irsa.guardrails.allowAllActionsOnAllResources`). A document that does not parse has
 * none here; its grammar problems are reported by the validators.
 *
 * @public
 */
export function allowAllOnAllProblems(
  document: unknown,
  field = 'inlinePolicy',
  presetName?: string,
): Problem[] {
  const parsed = parsePolicyDocument(document, 'identity');
  if (!parsed.ok) return [];
  return parsed.value.statements
    .filter(
      s =>
        s.effect === 'Allow' &&
        (s.action ?? []).includes('*') &&
        (s.resource ?? []).includes('*'),
    )
    .map(s => ({
      field: `${field}.Statement[${s.index}]`,
      message: `${
        presetName ? `The preset ${quote(presetName)}` : 'The inline policy'
      } allows Action "*" on Resource "*" (every action on every resource, administrator access), which irsa.guardrails.allowAllActionsOnAllResources does not allow; name the actions and resources the service needs (for example Action "s3:GetObject" on "arn:aws:s3:::payments-reports/*").`,
    }));
}
