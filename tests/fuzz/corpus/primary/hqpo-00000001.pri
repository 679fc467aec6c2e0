PAB,"CCMAIL:Quinn, Avery at HQPO"
Obj-class,Display-Name,Email-Address,First,Last,Address,City,State,Zip,Country,Title,Company,\\
Department,Office,Assistant,Bus-Num,Bus2-Num,Assist-Num,Fax-Num,Home-Num,Home2-Num,Mobile-Num,\\
Pager-Num,Note
entry,Morgan Ellis,"SMTP:mellis@example.org",Morgan,Ellis,,,,,,,"Ellis & Hart, Ltd.",,,,,,,,,,,,
dl,Cutover Team,"CCMAIL:Lee, Jordan at HQPO";Morgan Ellis,,,,,,,,,,,,,,,,,,,,,

MAILMESSAGE,"CCMAIL:Quinn, Avery at HQPO"
Folder,Sender,To,Cc,Bcc,Subject,Send-Date,Received-Date,Priority,Unread,Unsent,Body
Inbox,Jordan Lee,Avery Quinn,,,Cutover date,19990409113000,19990409113205,1,TRUE,FALSE,#00000001.SEC(50)
"Projects\Cutover",Avery Quinn,Jordan Lee;"Morgan Ellis [SMTP:mellis@example.org]",,,Agenda,\\
19990410090000,19990410090000,0,FALSE,FALSE,#00000001.SEC(123)
"Projects\Cutover",Avery Quinn,,,,Rollback checklist,19990411080000,19990411080000,,,,#00000001.SEC(243)
