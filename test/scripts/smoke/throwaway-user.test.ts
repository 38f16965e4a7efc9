import { newThrowawayUser, strongPassword } from '../../../scripts/smoke/throwaway-user';

describe('throwaway user', () => {
  test('GIVEN many generated passwords WHEN checked THEN each has every character class Cognito can require', () => {
    for (let i = 0; i < 200; i++) {
      const password = strongPassword();
      expect(password).toHaveLength(40);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[^A-Za-z0-9]/);
      expect(password).not.toMatch(/\s/);
    }
  });

  test('GIVEN a stage minimum above 40 WHEN a user is made THEN the password meets it', () => {
    expect(newThrowawayUser(64).password).toHaveLength(64);
  });

  test('GIVEN two users WHEN made THEN their emails and passwords differ', () => {
    const [a, b] = [newThrowawayUser(), newThrowawayUser()];
    expect(a.email).toMatch(/^cognito-access-smoke-[0-9a-f]{8}@example\.com$/);
    expect(a.email).not.toBe(b.email);
    expect(a.password).not.toBe(b.password);
  });
});
