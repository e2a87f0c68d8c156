export { RequestAuthorizer } from './RequestAuthorizer';
export type {
  AuthorizedBinding,
  BindingEntity,
  EntityReader,
} from './RequestAuthorizer';
export {
  assertNamespaceOfEntity,
  assertRoleAccount,
  namespaceRefusal,
} from './bindingPolicy';
