/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query MyAccess {\n  myAccess {\n    roles\n    organisationKind\n    permissions {\n      code\n      scope\n    }\n  }\n}": typeof types.MyAccessDocument,
    "fragment SessionUser on BusinessUser {\n  username\n  displayName\n  organisationName\n  mustChangePassword\n}\n\nquery Me {\n  me {\n    ...SessionUser\n  }\n}\n\nmutation Login($username: String!, $password: String!) {\n  login(username: $username, password: $password, channel: PC) {\n    errors {\n      field\n      message\n      code\n    }\n    user {\n      ...SessionUser\n    }\n  }\n}\n\nmutation Logout {\n  logout {\n    errors {\n      field\n      message\n      code\n    }\n  }\n}\n\nmutation ChangePassword($oldPassword: String!, $newPassword: String!) {\n  changePassword(oldPassword: $oldPassword, newPassword: $newPassword) {\n    errors {\n      field\n      message\n      code\n    }\n    user {\n      ...SessionUser\n    }\n  }\n}": typeof types.SessionUserFragmentDoc,
    "query CheckCertificate($number: String!, $checkCode: String!) {\n  certificateCheck(number: $number, checkCode: $checkCode) {\n    status\n    message\n    errors {\n      field\n      message\n      code\n    }\n    certificate {\n      number\n      kindLabel\n      institutionName\n      clientName\n      instrumentName\n      model\n      serialNumber\n      conclusion\n      verificationDate\n      validUntil\n      issuedAt\n      statusLabel\n      voidReason\n    }\n  }\n}": typeof types.CheckCertificateDocument,
    "query PortalHome($limit: Int = 8) {\n  notices: articles(section: NOTICES, limit: $limit) {\n    ...ArticleListItem\n  }\n  workUpdates: articles(section: WORK_UPDATES, limit: $limit) {\n    ...ArticleListItem\n  }\n  laws: articles(section: LAWS, limit: $limit) {\n    ...ArticleListItem\n  }\n}\n\nfragment ArticleListItem on PageInterface {\n  id\n  title\n  ... on NoticePage {\n    date\n  }\n  ... on WorkUpdatePage {\n    date\n  }\n  ... on LawPage {\n    date\n  }\n}\n\nquery ArticleDetail($id: ID!) {\n  page(id: $id) {\n    id\n    title\n    ... on NoticePage {\n      ...ArticleFields\n    }\n    ... on WorkUpdatePage {\n      ...ArticleFields\n    }\n    ... on LawPage {\n      ...ArticleFields\n    }\n  }\n}\n\nfragment ArticleFields on ArticlePageInterface {\n  date\n  publisher\n  summary\n  body\n  sectionName\n}": typeof types.PortalHomeDocument,
};
const documents: Documents = {
    "query MyAccess {\n  myAccess {\n    roles\n    organisationKind\n    permissions {\n      code\n      scope\n    }\n  }\n}": types.MyAccessDocument,
    "fragment SessionUser on BusinessUser {\n  username\n  displayName\n  organisationName\n  mustChangePassword\n}\n\nquery Me {\n  me {\n    ...SessionUser\n  }\n}\n\nmutation Login($username: String!, $password: String!) {\n  login(username: $username, password: $password, channel: PC) {\n    errors {\n      field\n      message\n      code\n    }\n    user {\n      ...SessionUser\n    }\n  }\n}\n\nmutation Logout {\n  logout {\n    errors {\n      field\n      message\n      code\n    }\n  }\n}\n\nmutation ChangePassword($oldPassword: String!, $newPassword: String!) {\n  changePassword(oldPassword: $oldPassword, newPassword: $newPassword) {\n    errors {\n      field\n      message\n      code\n    }\n    user {\n      ...SessionUser\n    }\n  }\n}": types.SessionUserFragmentDoc,
    "query CheckCertificate($number: String!, $checkCode: String!) {\n  certificateCheck(number: $number, checkCode: $checkCode) {\n    status\n    message\n    errors {\n      field\n      message\n      code\n    }\n    certificate {\n      number\n      kindLabel\n      institutionName\n      clientName\n      instrumentName\n      model\n      serialNumber\n      conclusion\n      verificationDate\n      validUntil\n      issuedAt\n      statusLabel\n      voidReason\n    }\n  }\n}": types.CheckCertificateDocument,
    "query PortalHome($limit: Int = 8) {\n  notices: articles(section: NOTICES, limit: $limit) {\n    ...ArticleListItem\n  }\n  workUpdates: articles(section: WORK_UPDATES, limit: $limit) {\n    ...ArticleListItem\n  }\n  laws: articles(section: LAWS, limit: $limit) {\n    ...ArticleListItem\n  }\n}\n\nfragment ArticleListItem on PageInterface {\n  id\n  title\n  ... on NoticePage {\n    date\n  }\n  ... on WorkUpdatePage {\n    date\n  }\n  ... on LawPage {\n    date\n  }\n}\n\nquery ArticleDetail($id: ID!) {\n  page(id: $id) {\n    id\n    title\n    ... on NoticePage {\n      ...ArticleFields\n    }\n    ... on WorkUpdatePage {\n      ...ArticleFields\n    }\n    ... on LawPage {\n      ...ArticleFields\n    }\n  }\n}\n\nfragment ArticleFields on ArticlePageInterface {\n  date\n  publisher\n  summary\n  body\n  sectionName\n}": types.PortalHomeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyAccess {\n  myAccess {\n    roles\n    organisationKind\n    permissions {\n      code\n      scope\n    }\n  }\n}"): (typeof documents)["query MyAccess {\n  myAccess {\n    roles\n    organisationKind\n    permissions {\n      code\n      scope\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment SessionUser on BusinessUser {\n  username\n  displayName\n  organisationName\n  mustChangePassword\n}\n\nquery Me {\n  me {\n    ...SessionUser\n  }\n}\n\nmutation Login($username: String!, $password: String!) {\n  login(username: $username, password: $password, channel: PC) {\n    errors {\n      field\n      message\n      code\n    }\n    user {\n      ...SessionUser\n    }\n  }\n}\n\nmutation Logout {\n  logout {\n    errors {\n      field\n      message\n      code\n    }\n  }\n}\n\nmutation ChangePassword($oldPassword: String!, $newPassword: String!) {\n  changePassword(oldPassword: $oldPassword, newPassword: $newPassword) {\n    errors {\n      field\n      message\n      code\n    }\n    user {\n      ...SessionUser\n    }\n  }\n}"): (typeof documents)["fragment SessionUser on BusinessUser {\n  username\n  displayName\n  organisationName\n  mustChangePassword\n}\n\nquery Me {\n  me {\n    ...SessionUser\n  }\n}\n\nmutation Login($username: String!, $password: String!) {\n  login(username: $username, password: $password, channel: PC) {\n    errors {\n      field\n      message\n      code\n    }\n    user {\n      ...SessionUser\n    }\n  }\n}\n\nmutation Logout {\n  logout {\n    errors {\n      field\n      message\n      code\n    }\n  }\n}\n\nmutation ChangePassword($oldPassword: String!, $newPassword: String!) {\n  changePassword(oldPassword: $oldPassword, newPassword: $newPassword) {\n    errors {\n      field\n      message\n      code\n    }\n    user {\n      ...SessionUser\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CheckCertificate($number: String!, $checkCode: String!) {\n  certificateCheck(number: $number, checkCode: $checkCode) {\n    status\n    message\n    errors {\n      field\n      message\n      code\n    }\n    certificate {\n      number\n      kindLabel\n      institutionName\n      clientName\n      instrumentName\n      model\n      serialNumber\n      conclusion\n      verificationDate\n      validUntil\n      issuedAt\n      statusLabel\n      voidReason\n    }\n  }\n}"): (typeof documents)["query CheckCertificate($number: String!, $checkCode: String!) {\n  certificateCheck(number: $number, checkCode: $checkCode) {\n    status\n    message\n    errors {\n      field\n      message\n      code\n    }\n    certificate {\n      number\n      kindLabel\n      institutionName\n      clientName\n      instrumentName\n      model\n      serialNumber\n      conclusion\n      verificationDate\n      validUntil\n      issuedAt\n      statusLabel\n      voidReason\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PortalHome($limit: Int = 8) {\n  notices: articles(section: NOTICES, limit: $limit) {\n    ...ArticleListItem\n  }\n  workUpdates: articles(section: WORK_UPDATES, limit: $limit) {\n    ...ArticleListItem\n  }\n  laws: articles(section: LAWS, limit: $limit) {\n    ...ArticleListItem\n  }\n}\n\nfragment ArticleListItem on PageInterface {\n  id\n  title\n  ... on NoticePage {\n    date\n  }\n  ... on WorkUpdatePage {\n    date\n  }\n  ... on LawPage {\n    date\n  }\n}\n\nquery ArticleDetail($id: ID!) {\n  page(id: $id) {\n    id\n    title\n    ... on NoticePage {\n      ...ArticleFields\n    }\n    ... on WorkUpdatePage {\n      ...ArticleFields\n    }\n    ... on LawPage {\n      ...ArticleFields\n    }\n  }\n}\n\nfragment ArticleFields on ArticlePageInterface {\n  date\n  publisher\n  summary\n  body\n  sectionName\n}"): (typeof documents)["query PortalHome($limit: Int = 8) {\n  notices: articles(section: NOTICES, limit: $limit) {\n    ...ArticleListItem\n  }\n  workUpdates: articles(section: WORK_UPDATES, limit: $limit) {\n    ...ArticleListItem\n  }\n  laws: articles(section: LAWS, limit: $limit) {\n    ...ArticleListItem\n  }\n}\n\nfragment ArticleListItem on PageInterface {\n  id\n  title\n  ... on NoticePage {\n    date\n  }\n  ... on WorkUpdatePage {\n    date\n  }\n  ... on LawPage {\n    date\n  }\n}\n\nquery ArticleDetail($id: ID!) {\n  page(id: $id) {\n    id\n    title\n    ... on NoticePage {\n      ...ArticleFields\n    }\n    ... on WorkUpdatePage {\n      ...ArticleFields\n    }\n    ... on LawPage {\n      ...ArticleFields\n    }\n  }\n}\n\nfragment ArticleFields on ArticlePageInterface {\n  date\n  publisher\n  summary\n  body\n  sectionName\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;