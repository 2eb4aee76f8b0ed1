/** Types for the deep `natural` modules we import (its main entry loads the whole library, which makes every start slow). */
declare module 'natural/lib/natural/stemmers/*.js' {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
