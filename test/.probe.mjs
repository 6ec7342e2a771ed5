const m = await import('@google/genai');
console.log('3.3 loaded', typeof m.GoogleGenAI);
const ai = new m.GoogleGenAI({apiKey:'k', httpOptions:{baseUrl:'http://127.0.0.1:9'}});
console.log(typeof ai.interactions.create);
try { await ai.interactions.create({model:'m', input:'hi'}, {maxRetries:0}); } catch(e) { console.log('err', e.constructor.name, e.message); }
const m2 = await import('@google/genai-2');
console.log('2.32 loaded', typeof m2.GoogleGenAI);
