/**
 * The operators' console, home and sign-in pages (views/ops/*.ejs): the greeting, enrolment.
 * One object per view; a function where the text carries values (they are escaped by the view).
 */
export const HOME_CONSOLE = {
  enrol: {
    keyLabel: (key: string | number) => `${key}：`,
  },
  index: {
    title: 'ホーム',
    greeting: (roleLabel: string | number) => `さん（${roleLabel}）`,
  },
};
