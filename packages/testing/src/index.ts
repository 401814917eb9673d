export { vectorsDir, repositoryRoot, readVectorText, loadVector, toHex, fromHex } from './vectors.js'
