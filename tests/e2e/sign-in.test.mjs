// Sign-in on: the console asks for the access code, refuses a wrong one in words, and with the
// right one shows the groups.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import { consoleUnderTest } from './lib/harness.mjs';

const accessCode = randomBytes(9).toString('base64url');
const env = consoleUnderTest({ accessCode });

// What the browser and the console log when the controller turns a request down.
const REFUSALS = [/\b40[013]\b/, /unauthori[sz]ed|forbidden/i];

test('the controller announces the access code it was given', () => {
  assert.equal(env.printedCode, accessCode);
});

test('the console asks for the access code, refuses a wrong one, and shows the groups for the right one', () =>
  env.withPage(
    async (page) => {
      const { items: groups } = await env.api('/groups');

      await page.goto(`${env.url}/groups`);
      const code = page.getByLabel('Access code');
      const signIn = page.getByRole('button', { name: 'Sign in' });
      await code.waitFor();

      await code.fill(`${accessCode}-wrong`);
      await signIn.click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.ok((await alert.textContent()).trim().length > 0, 'the refusal says something');
      assert.equal(await page.locator('table a[href^="/groups/"]').count(), 0, 'no group before signing in');

      await code.fill(accessCode);
      await signIn.click();
      await page.locator('table a[href^="/groups/"]').first().waitFor();
      assert.equal((await page.locator('h1').textContent()).trim(), 'Groups');
      for (const group of groups) {
        assert.equal((await page.locator(`table a[href="/groups/${group.id}"]`).textContent()).trim(), group.name);
      }
    },
    { expectedErrors: REFUSALS },
  ));
