/** A draft with every required field valid: tests change one field of it at a time. */
import type { AddSpaceDraft } from '../../src/core/schema';

export const VALID_DRAFT: Readonly<AddSpaceDraft> = {
  siteUrl: 'https://acme.atlassian.net',
  cloudId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  spaceKey: 'DOCS',
  spaceName: 'Documentation',
  title: 'Acme Docs',
  description: 'Internal documentation of Acme',
};
