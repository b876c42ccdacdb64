import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'native/build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The pure core must not read clocks or randomness (DESIGN.md: state machine as values).
    files: ['src/packet/**', 'src/vrrp/**', 'src/config/**', 'src/uplink/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'pure core: take `now` as an argument' },
        { object: 'Math', property: 'random', message: 'pure core: no randomness' },
        { object: 'process', property: 'hrtime', message: 'pure core: take `now` as an argument' },
      ],
    },
  },
);
