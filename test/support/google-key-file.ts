import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A service account key file as `gcloud iam service-accounts keys create` writes one (its private key a placeholder:
 * these tests never sign with it), in `folder`; returns its path.
 */
export function writeServiceAccountKey(folder: string, account: { project: string; email: string }): string {
  const keyFile = path.join(folder, 'key.json');
  const key = {
    type: 'service_account',
    project_id: account.project,
    client_email: account.email,
    private_key: 'PRIVATE-KEY-TEXT',
  };
  writeFileSync(keyFile, JSON.stringify(key));
  return keyFile;
}
