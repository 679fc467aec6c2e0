DIRECTORY
Obj-Class,Mode,Common-Name,Display-Name,Secondary-Proxy-Addresses,Home-Server
Mailbox,Create,AQuinn,Avery Quinn,"MIGRATE:CCMAIL:Quinn, Avery at HQPO",~Server
Mailbox,Create,JLee,Jordan Lee,"MIGRATE:CCMAIL:Lee, Jordan at HQPO",~Server
